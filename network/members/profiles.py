"""Profiles: what a member shows of themself, to whom, and the member directory."""

from __future__ import annotations

import json
from functools import lru_cache
from zoneinfo import available_timezones

from babel import Locale

from network.core.i18n import babel_locale
from network.core.i18n import lazy as _l
from network.core.refusal import Refused
from network.core.settings import LOCALES
from network.members.models import AGE_BANDS, DIMENSIONS, VISIBILITY, Member

AVATARS = ("leaf", "sun", "moon", "star", "wave", "mountain", "flower", "bird")
SPOKEN_LANGUAGES = (
    "en", "fr", "ar", "es", "uk", "sw", "fa", "ps", "ku", "ru", "pt", "ln", "rw", "so", "am", "ti",
    "ha", "yo", "ig", "my", "bn", "ne", "ta", "si", "tr", "de", "bs", "sr", "hr", "sq", "ur", "hi",
)
BIO_MAX = 500
TIME_ZONE_MAX = 40


@lru_cache(maxsize=1)
def time_zones() -> dict[str, str]:
    """The IANA time zones a member may read times in, by their case-folded name (typed on a phone,
    "africa/nairobi" is Africa/Nairobi). Read once: the list comes from the disk."""
    return {zone.casefold(): zone for zone in available_timezones() | {"UTC"} if len(zone) <= TIME_ZONE_MAX}


def regions() -> tuple[str, ...]:
    return tuple(sorted(code for code in Locale("en").territories if len(code) == 2 and code.isalpha()
                        and code not in {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"}))


def region_names(locale: str) -> dict[str, str]:
    names = babel_locale(locale).territories
    return {code: names.get(code, code) for code in regions()}


def language_names(locale: str) -> dict[str, str]:
    names = babel_locale(locale).languages
    return {code: names.get(code, code) for code in SPOKEN_LANGUAGES}


def _choice(value, allowed, field, message):
    if value not in allowed:
        raise Refused("invalid_" + field, message, field=field)
    return value


async def update(member: Member, changes: dict) -> Member:
    """Applies the given profile fields after checking all of them; nothing changes if one is wrong."""
    updates: dict = {}
    if "avatar" in changes:
        updates["avatar"] = _choice(changes["avatar"], AVATARS, "avatar", _l("Choose one of the pictures offered."))
    if "languages" in changes:
        languages = list(dict.fromkeys(changes["languages"] or []))
        for code in languages:
            _choice(code, SPOKEN_LANGUAGES, "languages", _l("Choose languages from the list."))
        updates["languages"] = languages[:10]
    if "region" in changes:
        region = changes["region"] or ""
        updates["region"] = "" if region in ("", "unsaid") else _choice(
            region, regions(), "region", _l("Choose a country from the list, or prefer not to say."))
    if "age_band" in changes:
        updates["age_band"] = _choice(changes["age_band"], AGE_BANDS, "age_band", _l("Choose an age band from the list."))
    counted = counted_as(member)
    for name, allowed in DIMENSIONS.items():
        if name in changes:
            value = changes[name] or "unsaid"
            counted[name] = _choice(value, (*allowed, "unsaid"), name, _l("Choose from the list offered."))
    if counted != counted_as(member):
        updates["counted_as"] = json.dumps({k: v for k, v in sorted(counted.items()) if v != "unsaid"})
    if "bio" in changes:
        bio = (changes["bio"] or "").strip()
        if len(bio) > BIO_MAX:
            raise Refused("bio_too_long", _l("A bio can have at most %(max)s characters."), field="bio", max=BIO_MAX)
        updates["bio"] = bio
    if "locale" in changes:
        locale = changes["locale"] or None
        updates["locale"] = None if locale is None else _choice(locale, LOCALES, "locale", _l("Choose a language from the list."))
    if "time_zone" in changes:
        zone = (changes["time_zone"] or "").strip()
        updates["time_zone"] = "" if not zone else _choice(
            time_zones().get(zone.casefold()), time_zones().values(), "time_zone",
            _l("That time zone was not found. Write it as the example shows."))
    if "visibility" in changes:
        updates["visibility"] = _choice(changes["visibility"], VISIBILITY, "visibility", _l("Choose who may see your profile."))
    for name, value in updates.items():
        setattr(member, name, value)
    if updates:
        await member.save(update_fields=list(updates))
    return member


def hidden_from(viewer: Member | None) -> int | None:
    """The account a duress decoy stands in for: its own traces are kept out of the decoy's sight,
    so the one holding the phone sees a quiet new account and nothing of the real one."""
    return getattr(viewer, "hides", None) if viewer is not None and viewer.role == "decoy" else None


async def can_view(rt, viewer: Member, member: Member) -> bool:
    if viewer.id == member.id:
        return True
    if member.status != "active" or member.id == hidden_from(viewer):
        return False
    if member.visibility == "members":
        return True
    if member.visibility == "rooms":
        return await rt.registry.shares_room(viewer.id, member.id)
    return False


async def visible(rt, viewer: Member, member_id: int) -> Member:
    if viewer is not None and member_id == viewer.id:
        return viewer  # as the account is signed in (a decoy's name lives in its session only)
    member = await Member.get_or_none(id=member_id)
    if member is None or not await can_view(rt, viewer, member):
        # Hidden and absent look the same, so a profile's existence is not disclosed.
        raise Refused("not_found", _l("This profile is not available."), kind="not_found")
    return member


async def inviter_for_moderators(viewer: Member, member: Member) -> Member | None:
    """Who invited whom is for moderators (and administrators) only."""
    if viewer.role not in ("moderator", "admin") or not member.invited_by_id:
        return None
    return await Member.get_or_none(id=member.invited_by_id)


async def directory(limit: int = 50, offset: int = 0, viewer: Member | None = None) -> list[Member]:
    query = Member.filter(visibility="members", status="active")
    if hidden_from(viewer):
        query = query.exclude(id=hidden_from(viewer))
    return await query.order_by("pseudonym_key").offset(offset).limit(limit)


def counted_as(member: Member) -> dict[str, str]:
    """The dimensions the member chose to be counted under ({"gender": "woman"}), the rest unsaid."""
    try:
        chosen = json.loads(member.counted_as or "{}")
    except ValueError:
        chosen = {}
    return {name: chosen.get(name) if chosen.get(name) in allowed else "unsaid" for name, allowed in DIMENSIONS.items()}


def public_view(member: Member) -> dict:
    """What another member may see; never the role's history, invitations or sessions."""
    return {
        "id": member.id, "pseudonym": member.pseudonym, "avatar": member.avatar,
        "languages": member.languages, "region": member.region or None, "bio": member.bio,
    }


def own_view(member: Member) -> dict:
    return {
        # A duress decoy must read exactly like a member's own account.
        **public_view(member), "role": "member" if member.role == "decoy" else member.role, "age_band": member.age_band,
        **counted_as(member), "locale": member.locale, "visibility": member.visibility,
        "time_zone": member.time_zone or None,
        "created_at": member.created_at.isoformat(),
    }
