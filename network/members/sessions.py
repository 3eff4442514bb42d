"""Server-side sessions: a random id held hashed, idle and absolute expiry, ending them."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone

from network.core.keys import new_token
from network.core.settings import Settings
from network.members.models import Member, Session

TOUCH_EVERY = timedelta(seconds=60)  # last-seen is written at most this often


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def device_label(user_agent: str | None) -> str:
    """A coarse label a member recognises ("Firefox on Android"); nothing finer is kept."""
    ua = user_agent or ""
    system = next((name for pattern, name in (
        (r"Android", "Android"), (r"iPhone|iPad|iOS", "iPhone"), (r"Windows", "Windows"),
        (r"Mac OS X|Macintosh", "Mac"), (r"CrOS", "ChromeOS"), (r"Linux", "Linux"),
    ) if re.search(pattern, ua)), "")
    browser = next((name for pattern, name in (
        (r"Firefox/", "Firefox"), (r"Edg/", "Edge"), (r"OPR/|Opera", "Opera"), (r"SamsungBrowser", "Samsung Internet"),
        (r"Chrome/|Chromium/", "Chrome"), (r"Safari/", "Safari"),
    ) if re.search(pattern, ua)), "")
    if browser and system:
        return f"{browser} · {system}"
    return browser or system or "?"


async def start(member: Member, user_agent: str | None) -> tuple[str, Session]:
    token = new_token()
    moment = datetime.now(timezone.utc)
    session = await Session.create(token_hash=_hash(token), member=member, csrf_token=new_token(),
                                   device=device_label(user_agent), created_at=moment, last_seen_at=moment)
    return token, session


async def load(settings: Settings, token: str | None) -> Session | None:
    """The live session for a cookie value, with its member; expired ones are deleted here."""
    if not token or len(token) > 100:
        return None
    session = await Session.get_or_none(token_hash=_hash(token)).select_related("member")
    if session is None:
        return None
    moment = datetime.now(timezone.utc)
    idle = timedelta(minutes=settings.session_idle_minutes)
    lifetime = timedelta(days=settings.session_max_days)
    if session.last_seen_at + idle < moment or session.created_at + lifetime < moment:
        await finish(session)
        return None
    if moment - session.last_seen_at > TOUCH_EVERY:
        session.last_seen_at = moment
        await Session.filter(id=session.id).update(last_seen_at=moment)
    return session


async def finish(session: Session) -> None:
    """Ends one session; a duress decoy's throwaway account goes with it."""
    member_id = session.member_id
    await Session.filter(id=session.id).delete()
    await Member.filter(id=member_id, role="decoy").delete()


async def listing(member: Member) -> list[Session]:
    return await Session.filter(member=member).order_by("-last_seen_at")


async def end(member: Member, session_id: int) -> bool:
    return bool(await Session.filter(member=member, id=session_id).delete())


async def end_others(member: Member, keep_session_id: int | None) -> int:
    query = Session.filter(member=member)
    if keep_session_id is not None:
        query = query.exclude(id=keep_session_id)
    return await query.delete()


async def end_all(member: Member) -> int:
    return await Session.filter(member=member).delete()
