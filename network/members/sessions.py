"""Server-side sessions: a random id held hashed, idle and absolute expiry, ending them.

Every way a session ends goes through this module, which tells that session's open sockets on
every worker to close (members.live); nothing that ends a session skips it."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from datetime import datetime, timedelta, timezone

from tortoise import connections

from network.core import db
from network.core.keys import new_token
from network.members import live, vault
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


def _decoy_face(decoy: Member) -> bytes:
    """What a decoy shows of the real account, and a participation key of its own (a new member has
    one), sealed in its session: nothing in its row ties it to the real account."""
    return json.dumps({"pseudonym": decoy.pseudonym, "since": decoy.created_at.isoformat(),
                       "check": decoy.passphrase_hash, "hides": decoy.hides,
                       "key": base64.b64encode(os.urandom(32)).decode()}).encode()


def _show_decoy(decoy: Member, face: bytes | None) -> None:
    try:
        shown = json.loads(face or b"{}")
        decoy.pseudonym, decoy.decoy_key = shown["pseudonym"], base64.b64decode(shown["key"])
        decoy.created_at, decoy.passphrase_hash = datetime.fromisoformat(shown["since"]), shown["check"]
        decoy.hides = shown["hides"]
    except (ValueError, KeyError, TypeError):
        decoy.pseudonym, decoy.decoy_key, decoy.hides = "", None, None


async def start(member: Member, user_agent: str | None) -> tuple[str, Session]:
    """A new session; the member's opened participation key is sealed in it under the cookie's key."""
    token = new_token()
    moment = datetime.now(timezone.utc)
    # A decoy's session holds what it shows of the real account (its row holds none: safety.service).
    key = _decoy_face(member) if member.role == "decoy" else getattr(member, "opened_key", None)
    token_hash = _hash(token)
    session = await Session.create(token_hash=token_hash, member=member, csrf_token=new_token(),
                                   device=device_label(user_agent), created_at=moment, last_seen_at=moment,
                                   vault=vault.wrap(key, vault.session_wrapping(token), token_hash) if key else None)
    return token, session


def expires_at(settings, session: Session) -> datetime:
    """When the session ends unless it is used again before."""
    return min(session.last_seen_at + timedelta(minutes=settings.session_idle_minutes),
               session.created_at + timedelta(days=settings.session_max_days))


_LOOKUP: dict[str, str] = {}


def _lookup_sql(client) -> str:
    """The session and its member in one row, written once per dialect: every signed-in request runs
    it, and building it through the query builder cost more than running it."""
    dialect = client.capabilities.dialect
    if dialect not in _LOOKUP:
        columns = [f's."{c}" AS "s.{c}"' for c in Session._meta.fields_db_projection.values()]
        columns += [f'm."{c}" AS "m.{c}"' for c in Member._meta.fields_db_projection.values()]
        _LOOKUP[dialect] = (f'SELECT {", ".join(columns)} FROM "{Session._meta.db_table}" s '
                            f'JOIN "{Member._meta.db_table}" m ON m."id" = s."member_id" '
                            f'WHERE s."token_hash" = {db.placeholders(client)(1)}')
    return _LOOKUP[dialect]


async def _find(token_hash: str) -> Session | None:
    client = connections.get("default")
    rows = await client.execute_query_dict(_lookup_sql(client), [token_hash])
    if not rows:
        return None
    row = rows[0]
    session = Session._init_from_db(**{k[2:]: v for k, v in row.items() if k.startswith("s.")})
    # As select_related("member") leaves it: session.member is the loaded member.
    object.__setattr__(session, "_member", Member._init_from_db(**{k[2:]: v for k, v in row.items()
                                                                   if k.startswith("m.")}))
    return session


async def load(rt, token: str | None, touch: bool = True) -> Session | None:
    """The live session for a cookie value, with its member; expired ones end here."""
    if not token or len(token) > 100:
        return None
    session = await _find(_hash(token))
    if session is None:
        return None
    if session.member.role == "decoy":
        _show_decoy(session.member, vault.unwrap(session.vault, vault.session_wrapping(token), session.token_hash))
    return await still_live(rt, session, touch)


async def still_live(rt, session: Session, touch: bool = True) -> Session | None:
    """The session if it has not expired (its last use noted, at most once a minute); else it ends."""
    moment = datetime.now(timezone.utc)
    if expires_at(rt.settings, session) <= moment:
        await finish(rt, session)
        return None
    if touch and moment - session.last_seen_at > TOUCH_EVERY:
        session.last_seen_at = moment
        await Session.filter(id=session.id).update(last_seen_at=moment)
    return session


async def finish(rt, session: Session) -> None:
    """Ends one session; a duress decoy's throwaway account goes with it."""
    member_id = session.member_id
    await Session.filter(id=session.id).delete()
    await Member.filter(id=member_id, role="decoy").delete()
    await live.revoke(rt, member_id, [session.id])


async def erase_rows(rt, connection, ids: list[int], how: str):
    """The registry's eraser for sessions (erasure, retention): they go, and their sockets close."""
    owners: dict[int, list[int]] = {}
    for session_id, member_id in await Session.filter(id__in=ids).using_db(connection).values_list("id", "member_id"):
        owners.setdefault(member_id, []).append(session_id)
    await Session.filter(id__in=ids).using_db(connection).delete()

    async def tell() -> None:
        for member_id, sessions in owners.items():
            await live.revoke(rt, member_id, sessions)

    return tell


async def listing(member: Member) -> list[Session]:
    return await Session.filter(member=member).order_by("-last_seen_at")


async def end(rt, member: Member, session_id: int) -> bool:
    ended = bool(await Session.filter(member=member, id=session_id).delete())
    if ended:
        await live.revoke(rt, member.id, [session_id])
    return ended


async def end_others(rt, member: Member, keep_session_id: int | None) -> int:
    query = Session.filter(member=member)
    if keep_session_id is not None:
        query = query.exclude(id=keep_session_id)
    ids = list(await query.values_list("id", flat=True))
    count = await Session.filter(id__in=ids).delete()
    if ids:
        await live.revoke(rt, member.id, ids)
    return count


async def end_all(rt, member: Member | int, **told) -> int:
    """Every session of the member ends and every socket closes, e.g. for a suspension (`told`: the
    code, reason and close code the sockets hear)."""
    member_id = member if isinstance(member, int) else member.id
    count = await Session.filter(member_id=member_id).delete()
    await live.revoke(rt, member_id, None, **told)
    return count
