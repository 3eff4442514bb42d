"""What moderation stores as codes (and the few texts the system writes), as people read them.

The log's targets are written in a fixed English form (records.log callers); they are read back
here into translated sentences, so an old row reads as well as a new one. Anything not recognised
is shown as it was stored, marked as such by the template (dir="auto")."""

from __future__ import annotations

import re

from network.core.i18n import gettext
from network.core.i18n import lazy as _l
from network.members.labels import MEMBER_STATUS_LABELS, SAFETY_ALERT_NOTES

# Texts the system itself writes into rows that otherwise hold a person's words.
TIME_IS_UP = "time is up"                   # the reason of a sanction lifted because its time ran out
FLAGGED = "flagged by a watched word"       # the note of a report the watched words made
# A safety alert's note is stored as its English msgid (network.members.labels), read back the same way.
SYSTEM_TEXTS = {TIME_IS_UP: _l("The time set for this action ran out."),
                FLAGGED: _l("Flagged automatically: the message contains a watched word."),
                **{note: note for note in SAFETY_ALERT_NOTES.values()}}

# Moderators see what a hiding is for; everyone else reads a hidden account as MEMBER_STATUS_LABELS say.
MEMBER_STATUS_NAMES = {**MEMBER_STATUS_LABELS, "hidden": _l("Hidden (after a duress sign-in)"),
                       "erased": _l("Erased")}
WORD_ACTION_NAMES = {"block": _l("Block"), "hold": _l("Hold for review"), "flag": _l("Flag")}
LOG_ACTION_NAMES = {
    "warn": _l("Warning"), "mute": _l("Mute"), "remove": _l("Removal from a room"), "suspend": _l("Suspension"),
    "lift": _l("Action lifted"), "hide": _l("Message hidden"), "approve": _l("Message approved"),
    "reject": _l("Message not approved"), "dismiss_report": _l("Report closed without action"),
    "handle_alert": _l("Safety alert handled"), "escalate": _l("Escalated to administrators"),
    "appeal_upheld": _l("Appeal decided: the action stays"),
    "appeal_overturned": _l("Appeal decided: the action was reversed"),
    "add_word": _l("Watched word added"), "remove_word": _l("Watched word removed"), "note": _l("Note written"),
}
_THINGS = {"member": _l("member %(id)s"), "message": _l("message %(id)s"), "report": _l("report %(id)s"),
           "appeal": _l("appeal %(id)s"), "safety alert": _l("safety alert %(id)s"), "alert": _l("safety alert %(id)s"),
           "held": _l("waiting message %(id)s"), "text": _l("consultation text %(id)s")}
_SANCTION_OF = _l("%(action)s (number %(id)s) of member %(member)s")
_IN_ROOM = _l("member %(id)s in room %(room)s")

_THING = re.compile(r"^(member|message|report|appeal|safety alert|alert|held|text) (\d+)$")
_SANCTIONED = re.compile(r"^member (\d+)(?: in room (\d+))?(?: for (\d+) min)?$")
_LIFTED = re.compile(r"^(warn|mute|remove|suspend) (\d+) of member (\d+)$")
_WORD = re.compile(r"^([a-z]{2,8}): (.*?)(?: \((block|hold|flag)\))?$", re.S)


def system_text(value) -> str | None:
    """The msgid for a text the system wrote, or None when a person wrote it (shown as written)."""
    return SYSTEM_TEXTS.get(value) if isinstance(value, str) else None


def log_target(locale: str, action: str, target: str) -> dict:
    """A log row's target as {"text": translated words, "minutes": a duration or None} or, for a
    watched word, also {"word", "lang", "word_action"}; {"raw": target} when in no form known here."""
    if action in ("add_word", "remove_word") and (found := _WORD.match(target)):
        lang, word, word_action = found.groups()
        return {"word": word, "lang": lang,
                "word_action": gettext(locale, WORD_ACTION_NAMES[word_action]) if word_action else ""}
    if found := _LIFTED.match(target):
        kind, sanction_id, member_id = found.groups()
        return {"text": gettext(locale, _SANCTION_OF, action=gettext(locale, LOG_ACTION_NAMES[kind]),
                                id=sanction_id, member=member_id)}
    if found := _SANCTIONED.match(target):
        member_id, room_id, minutes = found.groups()
        text = gettext(locale, _IN_ROOM, id=member_id, room=room_id) if room_id \
            else gettext(locale, _THINGS["member"], id=member_id)
        # The duration's plural is the template's (where the extractor finds it).
        return {"text": text, "minutes": int(minutes) if minutes else None}
    if found := _THING.match(target):
        thing, item_id = found.groups()
        return {"text": gettext(locale, _THINGS[thing], id=item_id)}
    return {"raw": target}
