"""What the library's stored codes are called, in the reader's language."""

from __future__ import annotations

from network.core.i18n import lazy as _l

KIND_NAMES = {"tool": _l("Tool"), "guide": _l("Guide"), "policy": _l("Policy"), "training": _l("Training"),
              "story": _l("Story of practice")}
AUDIENCE_NAMES = {"survivors": _l("Survivors"), "grassroots": _l("Grassroots organisations"),
                  "policymakers": _l("Policymakers"), "practitioners": _l("Practitioners")}
LEVEL_NAMES = {"full": _l("Full version"), "easy": _l("Easy read")}
TOPIC_NAMES = {"justice": _l("Justice"), "health": _l("Health"), "psychosocial": _l("Psychosocial support"),
               "reparations": _l("Reparations"), "safety": _l("Safety"), "participation": _l("Participation"),
               "economic": _l("Economic support"), "children": _l("Children"),
               "documentation": _l("Documentation"), "advocacy": _l("Advocacy")}
VISIBILITY_NAMES = {"public": _l("Everyone"), "members": _l("Members only")}
STATUS_NAMES = {"draft": _l("Draft"), "review": _l("Waiting for a second reader"), "published": _l("Published"),
                "archived": _l("Archived")}
SERVICE_KIND_NAMES = {"psychosocial": _l("Psychosocial"), "medical": _l("Medical"), "legal": _l("Legal"),
                      "shelter": _l("Shelter"), "economic": _l("Economic")}
COST_NAMES = {"free": _l("Free"), "sliding": _l("Pay what you can"), "paid": _l("There is a fee")}
COMMITMENT_STATUS_NAMES = {"promised": _l("Promised"), "in_plan": _l("In a national plan"),
                           "in_law": _l("In national law"), "implemented": _l("Implemented"),
                           "stalled": _l("Stalled")}
ACTION_NAMES = {
    "created": _l("Created"), "proposed": _l("Proposed"), "text_added": _l("New version written"),
    "details_changed": _l("Details changed"), "submitted": _l("Sent for review"), "published": _l("Published"),
    "returned": _l("Sent back"), "archived": _l("Archived"), "imported": _l("Imported"),
    "suggested": _l("Suggested"), "accepted": _l("Accepted"), "declined": _l("Declined"),
    "verified": _l("Checked and still right"), "changed": _l("Changed"),
}
SUBJECT_NAMES = {"entry": _l("Entry"), "service": _l("Service"), "commitment": _l("Commitment"),
                 "suggestion": _l("Suggestion")}

# A suggestion's fields, as its reader names them.
FIELD_NAMES = {"kind": _l("Kind of support"), "name": _l("Name"), "country": _l("Country"),
               "region": _l("Region or town"), "languages": _l("Languages"), "hours": _l("Hours"),
               "cost": _l("Cost"), "summary": _l("Summary"), "website": _l("Website"),
               "visibility": _l("Who may see it"), "last_verified": _l("Last checked"), "address": _l("Address"),
               "phone": _l("Phone"), "how_to_reach": _l("How to reach them safely (what to say)"),
               "call_logged": _l("Are calls logged?")}

TEMPLATE_NAMES = {"library_fields": FIELD_NAMES, "entry_kinds": KIND_NAMES, "audience_names": AUDIENCE_NAMES,
                  "level_names": LEVEL_NAMES,
                  "topic_names": TOPIC_NAMES, "visibility_names": VISIBILITY_NAMES,
                  "entry_statuses": STATUS_NAMES, "service_kinds": SERVICE_KIND_NAMES, "cost_names": COST_NAMES,
                  "commitment_statuses": COMMITMENT_STATUS_NAMES,
                  "library_actions": ACTION_NAMES, "library_subjects": SUBJECT_NAMES}
