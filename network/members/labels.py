"""Labels for stored codes (roles, statuses, age bands, pictures...), translated where they are shown.

Every code a page shows goes through one of these (and `_()` in the template): a raw code would
read as English, or as a bare word, in an Arabic or Persian page. They are also template globals
(network.members.setup), so other packages label the same codes the same way."""

from network.core.i18n import babel_locale, gettext
from network.core.i18n import lazy as _l

ROLE_LABELS = {
    "member": _l("Member"), "moderator": _l("Moderator"),
    "policymaker": _l("Policymaker"), "admin": _l("Administrator"),
}
INVITATION_STATUS_LABELS = {
    "active": _l("Active"), "used": _l("Used up"), "expired": _l("Expired"), "revoked": _l("Revoked"),
}
# A decoy reads like any active member's account, to everyone.
MEMBER_STATUS_LABELS = {
    "active": _l("Active"), "hidden": _l("Hidden"), "suspended": _l("Suspended"), "decoy": _l("Active"),
}
AGE_BAND_LABELS = {
    "under18": _l("Under 18"), "18-24": _l("18 to 24"), "25-34": _l("25 to 34"),
    "35-49": _l("35 to 49"), "50plus": _l("50 or older"), "unsaid": _l("Prefer not to say"),
}
# The other dimensions a member may choose to be counted under, and their values.
DIMENSION_LABELS = {"gender": _l("Gender"), "disability": _l("Disability"),
                    "displaced": _l("Displaced from home"), "minority": _l("Ethnic, religious or language minority")}
DIMENSION_VALUE_LABELS = {
    "gender": {"woman": _l("Woman"), "man": _l("Man"), "other": _l("Another gender")},
    "disability": {"yes": _l("Has a disability"), "no": _l("No disability")},
    "displaced": {"yes": _l("Displaced"), "no": _l("Not displaced")},
    "minority": {"yes": _l("Of a minority"), "no": _l("Not of a minority")},
}
VISIBILITY_LABELS = {
    "nobody": _l("Nobody"),
    "rooms": _l("Members who share a room with me"),
    "members": _l("All members"),
}
# The built-in pictures, named for screen readers in the member's language.
AVATAR_LABELS = {
    "leaf": _l("Leaf"), "sun": _l("Sun"), "moon": _l("Moon"), "star": _l("Star"), "wave": _l("Wave"),
    "mountain": _l("Mountain"), "flower": _l("Flower"), "bird": _l("Bird"),
}
# A region is stored as a country code, or empty (shown as "unsaid" in aggregates) when not given.
REGION_UNSAID = _l("Prefer not to say")
# The notes the system writes on a safety alert, by its kind: stored in English, shown through these.
SAFETY_ALERT_NOTES = {"duress": _l("A duress passphrase was used to sign in.")}


def region_label(code: str | None, locale: str) -> str:
    """A stored region code (or none) as the reader's locale names it, already translated."""
    if not code or code == "unsaid":
        return gettext(locale, REGION_UNSAID)
    return babel_locale(locale).territories.get(code, code)
