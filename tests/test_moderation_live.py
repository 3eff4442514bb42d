"""Moderation actions take effect live, across two server processes sharing Redis."""

import asyncio
import json
import time

import pytest

from tests.rooms_helpers import Person, act, next_frame, socket


async def test_a_hidden_message_disappears_from_every_open_page_within_a_second(two_workers):
    a, b = two_workers
    moderator = Person(a, "Live Moderator", "moderator")
    room = moderator.room(name="Live effects")
    author, reader = Person(a, "Loud Author"), Person(a, "Quiet Reader")
    author.join(room["id"])
    reader.join(room["id"])
    message = author.post(room["id"], "something hurtful").json()["message"]
    async with socket(reader.on(b), room["id"], after=message["seq"]) as on_b:
        await asyncio.sleep(0.2)
        started = time.monotonic()
        act(moderator, action="hide", message_id=message["id"], reason="Hurtful.")
        frame = await next_frame(on_b, "hidden", timeout=1.0)
        assert frame["id"] == message["id"] and time.monotonic() - started < 1.0
    assert reader.http.get(f"/api/v1/rooms/{room['id']}/messages").json()["messages"] == []


async def test_a_muted_member_is_told_at_once_and_cannot_send(two_workers):
    a, b = two_workers
    moderator = Person(a, "Mute Moderator", "moderator")
    room = moderator.room(name="Muting")
    member = Person(a, "Soon Muted")
    member.join(room["id"])
    async with socket(member.on(b), room["id"]) as ws:
        await asyncio.sleep(0.2)
        act(moderator, action="mute", member_id=member.id, minutes=10, reason="Please take a break.")
        told = await next_frame(ws, "error", timeout=2)
        assert told["code"] == "mute" and told["message"]
        await ws.send(json.dumps({"type": "send", "body": "still here?", "client_id": "m1"}))
        refused = await next_frame(ws, "error", timeout=2)
        assert refused["code"] == "muted"
        # The socket stays open: a muted member can still read.
        moderator.post(room["id"], "a moderator speaks")
        assert (await next_frame(ws, "message", timeout=2))["message"]["body"] == "a moderator speaks"


async def test_a_suspended_members_socket_is_closed_and_sessions_end(two_workers):
    a, b = two_workers
    moderator = Person(a, "Suspend Moderator", "moderator")
    room = moderator.room(name="Suspending")
    member = Person(a, "Soon Suspended")
    member.join(room["id"])
    async with socket(member.on(b), room["id"]) as ws:
        await asyncio.sleep(0.2)
        act(moderator, action="suspend", member_id=member.id, reason="Threatening others.")
        told = await next_frame(ws, "error", timeout=2)
        assert told["code"] == "suspended"
        with pytest.raises(Exception):
            await next_frame(ws, timeout=2)  # closed by the server
        assert ws.close_code == 4403
    assert member.http.get("/api/v1/me").status_code == 401
