"""The room event log, live: every reader gets every change once, in order, through races, late
approvals, offline spells, a worker killed and Redis restarting (live servers, the real
`websockets` client, PostgreSQL and Redis)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from tests.conftest import redis_process, start_server, stop_server, worker_env
from tests.rooms_helpers import PASSPHRASE, Person, Reader, Sender, act, crowd, next_frame, socket, wait_for


def _shown_in_db(person, room_id: int) -> list[int]:
    return [m["id"] for m in person.http.get(f"/api/v1/rooms/{room_id}/messages", params={"limit": 200}).json()["messages"]
            if m["status"] == "visible"]


async def test_racing_senders_on_two_workers_reach_every_reader_once_in_order(two_workers):
    a, b = two_workers
    moderator = Person(a, "Race Keeper", "moderator")
    room = moderator.room(name="Racing")
    senders, readers_people = crowd(a, 20, "Racer"), crowd(a, 6, "Watcher")
    for person in senders + readers_people:
        person.join(room["id"])
    readers = [await Reader(p, room["id"], [a if n % 2 else b]).start() for n, p in enumerate(readers_people)]
    try:
        sending = [Sender(p, room["id"], [a if n % 2 else b]) for n, p in enumerate(senders)]
        await asyncio.gather(*(s.send_all([f"race {s.person.pseudonym}-{k}" for k in range(10)]) for s in sending))
        acked = {mid for s in sending for mid in s.acked.values()}
        assert len(acked) == 200 and not any(s.unacked or s.refused for s in sending)
        assert await wait_for(lambda: all(acked <= set(r.shown) for r in readers))
        await asyncio.sleep(0.5)  # anything more that was coming would be a duplicate
        for reader in readers:
            assert set(reader.shown) == acked and set(reader.shown.values()) == {1}
            assert reader.in_order()
        assert set(_shown_in_db(moderator, room["id"])) == acked
    finally:
        for reader in readers:
            await reader.stop()


async def test_a_held_message_approved_after_later_ones_reaches_every_reader(two_workers):
    a, b = two_workers
    moderator = Person(a, "Late Keeper", "moderator")
    room = moderator.room(name="Checked first", kind="premod")
    author, watcher, returner = Person(a, "Held Author"), Person(a, "Live Watcher"), Person(a, "Back Later")
    for person in (author, watcher, returner):
        person.join(room["id"])
    live = await Reader(watcher, room["id"], [b]).start()
    away = await Reader(returner, room["id"], [a]).start()
    try:
        held = author.post(room["id"], "please let this through").json()["message"]
        assert held["status"] == "held" and held["held_reason"]
        later = [moderator.post(room["id"], f"later {n}").json()["message"]["id"] for n in range(2)]
        assert await wait_for(lambda: set(later) <= set(away.shown))
        await away.stop()  # offline while the moderator approves
        act(moderator, action="approve", message_id=held["id"])
        assert await wait_for(lambda: held["id"] in live.shown)
        assert live.shown == {later[0]: 1, later[1]: 1, held["id"]: 1} and live.in_order()
        back = Reader(returner, room["id"], [b])
        back.cursor = away.cursor
        await back.start()
        try:
            assert back.shown == {held["id"]: 1}
            assert back.messages[held["id"]]["body"] == "please let this through"
        finally:
            await back.stop()
        # And through the JSON API, from the cursor the reader had.
        caught = returner.http.get(f"/api/v1/rooms/{room['id']}/events", params={"after": away.cursor}).json()
        assert [e["message"]["id"] for e in caught["events"] if e["type"] == "message"] == [held["id"]]
    finally:
        await live.stop()


async def test_a_reader_offline_during_a_hide_an_edit_and_a_delete_sees_all_three(two_workers):
    a, b = two_workers
    moderator = Person(a, "Quiet Keeper", "moderator")
    room = moderator.room(name="While away")
    author, reader = Person(a, "Busy Author"), Person(a, "Away Reader")
    author.join(room["id"])
    reader.join(room["id"])
    watching = await Reader(reader, room["id"], [b]).start()
    ids = [author.post(room["id"], text).json()["message"]["id"] for text in ("exposes someone", "typo", "regret")]
    assert await wait_for(lambda: set(ids) <= set(watching.shown))
    await watching.stop()
    act(moderator, action="hide", message_id=ids[0], reason="It named someone.")
    assert author.http.patch(f"/api/v1/messages/{ids[1]}", json={"body": "no typo"}).status_code == 200
    assert author.http.delete(f"/api/v1/messages/{ids[2]}").status_code == 200
    back = Reader(reader, room["id"], [a])
    back.cursor = watching.cursor
    await back.start()
    try:
        assert back.gone == {ids[0]: "hidden", ids[2]: "deleted"}
        assert back.messages[ids[1]]["body"] == "no typo" and back.messages[ids[1]]["edited"]
        assert back.shown == {} and back.in_order()
        assert "exposes someone" not in json.dumps(back.messages)
    finally:
        await back.stop()


async def test_a_worker_killed_and_redis_restarted_mid_stream_lose_and_repeat_nothing(tmp_path, private_redis,
                                                                                   postgres_url):
    env = worker_env(private_redis["url"], postgres_url)
    a = start_server(tmp_path, env, name="a")
    b = start_server(tmp_path, env, migrate=False, name="b")
    readers = []
    try:
        moderator = Person(b, "Storm Keeper", "moderator")
        room = moderator.room(name="Storms")
        writers, watchers = crowd(b, 6, "Storm Writer"), crowd(b, 4, "Storm Watcher")
        for person in writers + watchers:
            person.join(room["id"])
        readers = [await Reader(p, room["id"], [a, b] if n % 2 else [b, a]).start() for n, p in enumerate(watchers)]
        sending = [Sender(p, room["id"], [a, b] if n % 2 else [b, a]) for n, p in enumerate(writers)]
        sends = asyncio.gather(*(s.send_all([f"storm {s.person.pseudonym}-{k}" for k in range(15)], pause=0.1)
                                 for s in sending))
        await asyncio.sleep(0.6)
        a.process.kill()  # SIGKILL, mid-stream: no goodbye to anyone
        a.process.wait()
        for reader in readers:
            reader.drop_server(a)
        for sender in sending:
            sender.servers = [b]
        await asyncio.sleep(0.4)
        private_redis["process"].kill()
        private_redis["process"].wait()
        await asyncio.sleep(1.5)
        private_redis["process"] = redis_process(private_redis["port"])
        await asyncio.wait_for(sends, 90)
        acked = {mid for s in sending for mid in s.acked.values()}
        assert len(acked) == 90 and not any(s.unacked or s.refused for s in sending)
        stored = _shown_in_db(moderator, room["id"])
        assert sorted(stored) == sorted(acked)  # every send stored exactly once
        assert await wait_for(lambda: all(set(r.shown) == acked for r in readers), timeout=30)
        await asyncio.sleep(0.5)
        for reader in readers:
            assert set(reader.shown.values()) == {1} and reader.in_order(), reader.shown
        # The readers that were on the killed worker carried on from the other one.
        assert all(r.connections >= 2 for n, r in enumerate(readers) if n % 2)
    finally:
        for reader in readers:
            await reader.stop()
        stop_server(b)
        if a.process.poll() is None:
            stop_server(a)


async def test_redis_away_is_an_error_frame_not_a_closed_socket(tmp_path, private_redis, postgres_url):
    server = start_server(tmp_path, worker_env(private_redis["url"], postgres_url))
    try:
        moderator = Person(server, "Calm Keeper", "moderator")
        member = Person(server, "Calm Member")
        room = moderator.room(name="Calm")
        member.join(room["id"])
        async with socket(member, room["id"]) as ws:
            await next_frame(ws, "synced")
            private_redis["process"].kill()
            private_redis["process"].wait()
            assert (await next_frame(ws, "reconnecting", timeout=5))["type"] == "reconnecting"
            await ws.send(json.dumps({"type": "send", "body": "are you there?", "client_id": "r1"}))
            refused = await next_frame(ws, "error", timeout=5)
            assert refused["code"] == "unavailable" and refused["message"]
            await ws.send(json.dumps({"type": "ping"}))
            assert (await next_frame(ws, "pong"))["type"] == "pong"
            private_redis["process"] = redis_process(private_redis["port"])
            await next_frame(ws, "synced", timeout=15)
            await ws.send(json.dumps({"type": "send", "body": "back again", "client_id": "r2"}))
            assert (await next_frame(ws, "ack", timeout=5))["status"] == "visible"
    finally:
        stop_server(server)


async def test_a_watched_word_added_on_one_worker_applies_on_the_other_at_once(two_workers):
    a, b = two_workers
    moderator = Person(a, "Word Keeper", "moderator")
    room = moderator.room(name="Words")
    member = Person(a, "Plain Speaker")
    member.join(room["id"])
    assert member.on(b).post(room["id"], "the river is high").status_code == 201
    assert moderator.http.post("/api/v1/moderation/words", json={"locale": "en", "word": "river",
                                                                   "action": "block"}).status_code == 201
    refused = member.on(b).post(room["id"], "the river again")
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "watched_word"


# Each way a session, or a member's place in a room, ends: (what to do, from the worker it is done on).
def _logout(p, ctx):
    assert p.http.post("/api/v1/auth/logout").status_code == 200


def _end_other_sessions(p, ctx):
    other = ctx["second"]
    session = [s for s in other.http.get("/api/v1/me/sessions").json()["sessions"] if not s["current"]][0]
    assert other.http.delete(f"/api/v1/me/sessions/{session['id']}").status_code == 200


def _passphrase_change(p, ctx):
    assert ctx["second"].http.put("/api/v1/me/passphrase", json={
        "current_passphrase": PASSPHRASE, "new_passphrase": "a brand new long passphrase"}).status_code == 200


def _recovery(p, ctx):
    assert p.http.post("/api/v1/auth/recover", json={"pseudonym": ctx["pseudonym"], "recovery_code": ctx["codes"][0],
                                                     "new_passphrase": "recovered and long passphrase"}).status_code == 200


def _panic_wipe(p, ctx):
    page = p.http.get("/safety/wipe")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    assert p.http.post("/safety/wipe", data={"csrf_token": token}).status_code == 303


def _erasure(p, ctx):
    assert p.http.request("DELETE", "/api/v1/me", json={"passphrase": PASSPHRASE}).status_code == 200


def _duress(action):
    def go(p, ctx):
        assert p.http.put("/api/v1/me/duress", json={"passphrase": "the other long passphrase", "action": action,
                                                    "current_passphrase": PASSPHRASE}).status_code == 200
        fresh = Person.__new__(Person)
        fresh.http = httpx.Client(base_url=p.server.url)
        assert fresh.http.post("/api/v1/auth/login", json={"pseudonym": ctx["pseudonym"],
                                                           "passphrase": "the other long passphrase"}).status_code == 200
    return go


def _suspension(p, ctx):
    act(ctx["moderator"], action="suspend", member_id=p.id, reason="Threats.")


def _role_change(p, ctx):
    assert ctx["admin"].http.put(f"/api/v1/members/{p.id}/role", json={"role": "policymaker"}).status_code == 200


def _removal(p, ctx):
    act(ctx["moderator"], action="remove", member_id=p.id, room_id=ctx["room"], reason="Off topic, repeatedly.")


ENDINGS = {"logout": _logout, "end other sessions": _end_other_sessions, "passphrase change": _passphrase_change,
           "recovery": _recovery, "panic wipe": _panic_wipe, "erasure": _erasure, "duress hide": _duress("hide"),
           "duress erase": _duress("erase"), "suspension": _suspension, "role change": _role_change,
           "removal from the room": _removal}


async def test_every_way_a_session_ends_closes_its_socket_on_the_other_worker_within_a_second(two_workers):
    a, b = two_workers
    moderator, admin = Person(a, "Door Moderator", "moderator"), Person(a, "Door Admin", "admin")
    room = moderator.room(name="Doors")
    slow = []
    for n, (name, end) in enumerate(ENDINGS.items()):
        code = admin.http.post("/api/v1/invitations", json={"role": "member"}).json()["code"]
        person = Person(a, f"Leaving Member {n}", code=code)
        person.join(room["id"])
        second = person.another_session()
        # The socket is the session that ends (the first), on worker b; the ending is done on worker a.
        async with socket(person.on(b), room["id"]) as ws:
            await next_frame(ws, "synced")
            started = asyncio.get_running_loop().time()
            ctx = {"second": second, "pseudonym": person.pseudonym, "codes": person.recovery_codes,
                   "moderator": moderator, "admin": admin, "room": room["id"]}
            await asyncio.to_thread(end, person, ctx)
            try:
                while True:
                    left = 1.0 - (asyncio.get_running_loop().time() - started)
                    await asyncio.wait_for(ws.recv(), timeout=max(left, 0.01))
            except Exception:  # noqa: BLE001 - closed (or the second is up)
                pass
            took = asyncio.get_running_loop().time() - started
            if ws.close_code not in (4401, 4403) or took > 1.0:  # closed by the server, for this reason
                slow.append((name, ws.close_code, round(took, 2)))
    assert slow == [], f"sockets that outlived their session: {slow}"


async def test_a_frame_after_the_session_expired_is_refused(tmp_path, postgres_url, redis_url):
    server = start_server(tmp_path, worker_env(redis_url, postgres_url))
    try:
        member = Person(server, "Idle Member")
        moderator = Person(server, "Idle Keeper", "moderator")
        room = moderator.room(name="Idle")
        member.join(room["id"])
        async with socket(member, room["id"]) as ws:
            await next_frame(ws, "synced")
            import asyncpg

            db = await asyncpg.connect(postgres_url.replace("postgres://", "postgresql://"))
            await db.execute("UPDATE session SET last_seen_at = now() - interval '2 days' WHERE member_id = $1", member.id)
            await db.close()
            await ws.send(json.dumps({"type": "send", "body": "still here", "client_id": "late"}))
            refused = await next_frame(ws, "error", timeout=5)
            assert refused["code"] == "signed_out"
            with pytest.raises(Exception):
                await next_frame(ws, timeout=3)
            assert ws.close_code == 4401
        assert moderator.http.get(f"/api/v1/rooms/{room['id']}/messages").json()["messages"] == []
    finally:
        stop_server(server)
