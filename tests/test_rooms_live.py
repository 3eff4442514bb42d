"""Rooms against live uvicorn servers with the real `websockets` client."""

import asyncio
import json
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from websockets.exceptions import InvalidStatus

from network.core.settings import ROOT
from tests.rooms_helpers import Person, next_frame, socket


async def test_two_processes_deliver_each_others_messages(two_workers):
    a, b = two_workers
    moderator = Person(a, "Room Keeper", "moderator")
    alice, bob = Person(a, "Alice Light"), Person(a, "Bob Stone")
    room = moderator.room(name="Across workers")
    alice.join(room["id"])
    bob.join(room["id"])
    async with socket(alice, room["id"], after=0) as on_a, socket(bob.on(b), room["id"], after=0) as on_b:
        await next_frame(on_b, "presence")
        await on_a.send(json.dumps({"type": "send", "body": "hello from a", "client_id": "c1"}))
        ack = await next_frame(on_a, "ack")
        received = await next_frame(on_b, "message")
        assert received["message"]["body"] == "hello from a" and received["message"]["id"] == ack["id"]
        assert received["message"]["author"] == "Alice Light"
        await on_b.send(json.dumps({"type": "send", "body": "and back from b", "client_id": "c2"}))
        assert (await next_frame(on_a, "message"))["message"]["body"] in ("hello from a", "and back from b")
        # A message posted over HTTP on worker b reaches the socket on worker a too.
        bob.on(b).post(room["id"], "over http on b")
        bodies = set()
        for _ in range(3):
            frame = await next_frame(on_a, "message")
            bodies.add(frame["message"]["body"])
            if "over http on b" in bodies:
                break
        assert "over http on b" in bodies


async def test_presence_counts_people_across_workers_never_names(two_workers):
    a, b = two_workers
    moderator = Person(a, "Count Keeper", "moderator")
    room = moderator.room(name="Presence")
    alice = Person(a, "Alice Count")
    alice.join(room["id"])
    async with socket(alice, room["id"]) as first:
        async with socket(moderator.on(b), room["id"]):
            for _ in range(5):
                frame = await next_frame(first, "presence")
                if frame["count"] == 2:
                    break
            assert frame["count"] == 2 and set(frame) == {"type", "count"}


async def test_catch_up_while_messages_keep_coming_loses_and_repeats_nothing(live_server):
    moderator = Person(live_server, "Steady Keeper", "moderator")
    reader = Person(live_server, "Patient Reader")
    room = moderator.room(name="Catch up")
    reader.join(room["id"])
    # Three writers (each stays under the per-member rate limit), 60 messages in all.
    writers = [moderator] + [Person(live_server, f"Writer {n}") for n in range(2)]
    for writer in writers[1:]:
        writer.join(room["id"])
    total = 60
    statuses = []

    def produce(writer):
        for n in range(total // len(writers)):
            statuses.append(writer.post(room["id"], f"message {writer.pseudonym}-{n}").status_code)
            time.sleep(0.02)

    seen, seqs = [], []
    producers = [threading.Thread(target=produce, args=(w,)) for w in writers]
    for producer in producers:
        producer.start()
    last = 0
    deadline = time.monotonic() + 60
    while len(seen) < total and time.monotonic() < deadline:
        async with socket(reader, room["id"], after=last) as ws:
            # Read a few, then drop the connection mid-stream, as a phone losing signal would.
            for _ in range(7):
                try:
                    frame = await next_frame(ws, "message", timeout=3)
                except asyncio.TimeoutError:
                    break
                seen.append(frame["message"]["id"])
                seqs.append(frame["seq"])
                last = frame["seq"]
    for producer in producers:
        producer.join()
    assert len(seen) == total, f"got {len(seen)} of {total}"
    assert seqs == sorted(seqs) and len(set(seen)) == total


async def test_refused_sockets(live_server):
    moderator = Person(live_server, "Door Keeper", "moderator")
    outsider = Person(live_server, "Not Invited")
    room = moderator.room(name="Invite only", kind="invite")
    for kwargs, person in (({}, outsider), ({"origin": "http://evil.example"}, moderator), ({"cookie": False}, moderator)):
        with pytest.raises(InvalidStatus) as refused:
            async with socket(person, room["id"], **kwargs):
                pass
        assert refused.value.response.status_code == 403
    # The moderator, from the site's own page, gets in.
    async with socket(moderator, room["id"]) as ws:
        await ws.send(json.dumps({"type": "ping"}))
        assert (await next_frame(ws, "pong"))["type"] == "pong"


async def test_bad_frames_get_error_frames_and_the_socket_stays_open(live_server):
    moderator = Person(live_server, "Frame Keeper", "moderator")
    room = moderator.room(name="Frames")
    async with socket(moderator, room["id"]) as ws:
        for raw, code in ((json.dumps({"type": "send", "body": "x" * 20_000}), "too_large"),
                          ("{not json", "invalid_json"), (json.dumps({"type": "dance"}), "unknown_type"),
                          (json.dumps([1, 2]), "invalid_frame"),
                          (json.dumps({"type": "send", "body": 5}), "invalid_frame"),
                          (json.dumps({"type": "send", "body": "y" * 2001, "client_id": "long"}), "too_long"),
                          (json.dumps({"type": "send", "body": "   "}), "empty")):
            await ws.send(raw)
            frame = await next_frame(ws, "error")
            assert frame["code"] == code and frame["message"]
        await ws.send(json.dumps({"type": "ping"}))
        await next_frame(ws, "pong")
    assert moderator.http.get(f"/api/v1/rooms/{room['id']}/messages").json()["messages"] == []


async def test_the_same_client_id_twice_stores_one_message(live_server):
    moderator = Person(live_server, "Twice Keeper", "moderator")
    room = moderator.room(name="Twice")
    async with socket(moderator, room["id"]) as ws:
        for _ in range(2):
            await ws.send(json.dumps({"type": "send", "body": "only once", "client_id": "same-id"}))
        first, second = await next_frame(ws, "ack"), await next_frame(ws, "ack")
        assert first["id"] == second["id"]
    assert len(moderator.http.get(f"/api/v1/rooms/{room['id']}/messages").json()["messages"]) == 1
    again = moderator.post(room["id"], "only once", client_id="same-id")
    assert again.status_code == 200 and again.json()["created"] is False


async def test_slow_mode_holds_across_workers(two_workers):
    a, b = two_workers
    moderator = Person(a, "Slow Keeper", "moderator")
    room = moderator.room(name="Slow", slow_mode_seconds=30)
    member = Person(a, "Quick Typer")
    member.join(room["id"])
    assert member.post(room["id"], "first").status_code == 201
    second = member.on(b).post(room["id"], "second, too soon, on the other worker")
    assert second.status_code == 429 and second.json()["error"]["code"] == "slow_mode"
    assert 0 < int(second.headers["retry-after"]) <= 30


def test_retention_purges_expired_messages(live_server):
    moderator = Person(live_server, "Time Keeper", "moderator")
    room = moderator.room(name="Disappearing", retention="24h")
    keep = moderator.room(name="Keeping", retention="keep")
    moderator.post(room["id"], "gone tomorrow")
    moderator.post(keep["id"], "kept")
    db = sqlite3.connect(live_server.env["SURVNET_VAR_DIR"] + "/survnet.sqlite3")
    db.execute("UPDATE room_message SET expires_at = '2000-01-01 00:00:00+00:00' WHERE expires_at IS NOT NULL")
    db.commit()
    result = subprocess.run([sys.executable, "-m", "network.core.cli", "purge"], env=live_server.env, cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert "disappearing messages: 1 deleted" in result.stdout
    assert moderator.http.get(f"/api/v1/rooms/{room['id']}/messages").json()["messages"] == []
    assert len(moderator.http.get(f"/api/v1/rooms/{keep['id']}/messages").json()["messages"]) == 1
