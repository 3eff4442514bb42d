"""Retention: each kind of data past its period is deleted by the purge job, and nothing younger is."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from messaging.models import Message, RoomEvent
from moderation.models import Notice
from network.core.jobs import purge_all
from network.members.models import Member, Session
from network.stipends.models import Stipend
from tests.conftest import both_databases
from tests.helpers import api_login, new_client
from tests.usage import DURESS, PSEUDONYM, use_everything


def _ago(**delta) -> datetime:
    return datetime.now(timezone.utc) - timedelta(**delta)


@both_databases
async def test_the_purge_deletes_each_kind_of_data_after_its_period(app, database_url):
    settings = app.state.settings
    usage = await use_everything(app)
    async with new_client(app) as forced:  # a second decoy, still in use: it stays
        await api_login(forced, PSEUDONYM, DURESS)
    decoys = await Member.filter(role="decoy").order_by("id")
    assert len(decoys) == 2 and all(d.pseudonym == "" for d in decoys)

    # Nothing is due yet: the purge changes nothing.
    first = await purge_all(app.state.runtime)
    assert not any(first.values()), first

    # Age one of each kind past its period, and one just inside it.
    sessions = await Session.filter(member_id=usage.member.id).order_by("id")
    await Session.filter(id=sessions[0].id).update(last_seen_at=_ago(minutes=settings.session_idle_minutes + 1))
    await Session.filter(id=sessions[1].id).update(created_at=_ago(days=settings.session_max_days, minutes=1))
    await Session.filter(member_id=decoys[0].id).update(last_seen_at=_ago(minutes=settings.session_idle_minutes + 1))
    notices = await Notice.filter(member_id=usage.member.id).order_by("id")
    await Notice.filter(id=notices[0].id).update(created_at=_ago(days=settings.notice_days, minutes=1))
    messages = await Message.filter(room_id=usage.room["id"]).order_by("id")
    await Message.filter(id=messages[0].id).update(status="held", created_at=_ago(days=settings.held_message_days + 1))
    await Message.filter(id=messages[1].id).update(status="held", created_at=_ago(days=settings.held_message_days - 1))
    await Message.filter(id=messages[2].id).update(expires_at=_ago(seconds=1))
    for status in ("paid", "rejected", "cancelled"):
        await Stipend.filter(id=usage.stipends[status]).update(
            closed_at=_ago(days=settings.payout_retention_days, minutes=1))
    await Stipend.filter(id=usage.stipends["pending"]).update(created_at=_ago(days=400))  # still waiting: kept
    events = await RoomEvent.filter(room_id=usage.room["id"]).order_by("id")
    await RoomEvent.filter(id=events[0].id).update(created_at=_ago(days=settings.room_log_days, minutes=1))

    done = await purge_all(app.state.runtime)
    assert done["expired sessions"] == 3
    assert done["ended decoys"] == 1
    assert done["old notices"] == 1
    assert done["held messages never decided"] == 1
    assert done["disappearing messages"] == 1
    assert done["payout details of closed requests"] == 3
    assert done["old room events"] >= 1

    assert not await Session.filter(id__in=[sessions[0].id, sessions[1].id]).exists()
    assert await Session.filter(member_id=usage.member.id).count() == len(sessions) - 2
    assert [d.id for d in await Member.filter(role="decoy")] == [decoys[1].id]
    assert not await Notice.filter(id=notices[0].id).exists()
    assert await Notice.filter(member_id=usage.member.id).count() == len(notices) - 1
    remaining = {m.id for m in await Message.filter(room_id=usage.room["id"])}
    assert messages[0].id not in remaining and messages[2].id not in remaining and messages[1].id in remaining
    payouts = {s.status: s.payout_details for s in await Stipend.filter(member_id=usage.member.id)}
    assert payouts["paid"] is None and payouts["rejected"] is None and payouts["cancelled"] is None
    assert payouts["approved"] and payouts["pending"]  # not closed: still needed to pay
    assert not await RoomEvent.filter(id=events[0].id).exists()

    # Run again: everything due has gone, so nothing more changes.
    again = await purge_all(app.state.runtime)
    assert not any(again.values()), again
