"""Room rules in-process: who may join, editing and deleting, held messages, history paging, erasure."""

import json

from messaging import hooks
from messaging.models import Message
from tests.helpers import PASSPHRASE, csrf_from, make_member, signed_in


async def _room(app, moderator, **fields):
    async with signed_in(app, moderator) as http:
        response = await http.post("/api/v1/rooms", json={"name": "A room", **fields})
        assert response.status_code == 201, response.text
        return response.json()["room"]


async def test_who_may_join_which_room(app):
    moderator = await make_member(app, "moderator")
    open_room = await _room(app, moderator, name="Open")
    invite_room = await _room(app, moderator, name="Invite", kind="invite")
    minors_room = await _room(app, moderator, name="Young people", age_group="minors")
    member, policymaker = await make_member(app), await make_member(app, "policymaker")
    async with signed_in(app, member) as http:
        listed = (await http.get("/api/v1/rooms")).json()
        assert [r["name"] for r in listed["joinable"]] == ["Open"]
        assert (await http.post(f"/api/v1/rooms/{open_room['id']}/join")).status_code == 200
        assert (await http.post(f"/api/v1/rooms/{invite_room['id']}/join")).status_code == 403
        assert (await http.post(f"/api/v1/rooms/{minors_room['id']}/join")).status_code == 403
        assert (await http.get(f"/api/v1/rooms/{invite_room['id']}/messages")).status_code == 403
    async with signed_in(app, policymaker) as http:
        assert (await http.get("/api/v1/rooms")).json()["joinable"] == []
        assert (await http.post(f"/api/v1/rooms/{open_room['id']}/join")).status_code == 403
    async with signed_in(app, moderator) as http:
        assert (await http.post(f"/api/v1/rooms/{invite_room['id']}/invite", json={"member_id": policymaker.id})).status_code == 200
    async with signed_in(app, policymaker) as http:
        assert (await http.get(f"/api/v1/rooms/{invite_room['id']}/messages")).status_code == 200


async def test_edit_and_delete_only_my_own_messages(app):
    moderator = await make_member(app, "moderator")
    room = await _room(app, moderator)
    alice, bob = await make_member(app), await make_member(app)
    async with signed_in(app, alice) as a, signed_in(app, bob) as b:
        await a.post(f"/api/v1/rooms/{room['id']}/join")
        await b.post(f"/api/v1/rooms/{room['id']}/join")
        message = (await a.post(f"/api/v1/rooms/{room['id']}/messages", json={"body": "mine"})).json()["message"]
        assert (await b.patch(f"/api/v1/messages/{message['id']}", json={"body": "hijack"})).status_code == 404
        assert (await b.delete(f"/api/v1/messages/{message['id']}")).status_code == 404
        edited = await a.patch(f"/api/v1/messages/{message['id']}", json={"body": "mine, better"})
        assert edited.json()["message"]["edited"] is True
        assert (await a.delete(f"/api/v1/messages/{message['id']}")).status_code == 200
        shown = (await b.get(f"/api/v1/rooms/{room['id']}/messages")).json()["messages"]
        assert shown[0]["status"] == "deleted" and shown[0]["body"] == ""


async def test_premoderated_rooms_and_the_hook_hold_messages(app):
    moderator = await make_member(app, "moderator")
    room = await _room(app, moderator, kind="premod")
    member, other = await make_member(app), await make_member(app)
    async with signed_in(app, member) as http, signed_in(app, other) as watcher:
        await http.post(f"/api/v1/rooms/{room['id']}/join")
        await watcher.post(f"/api/v1/rooms/{room['id']}/join")
        held = (await http.post(f"/api/v1/rooms/{room['id']}/messages", json={"body": "please check"})).json()
        assert held["message"]["status"] == "held"
        assert [m["status"] for m in (await http.get(f"/api/v1/rooms/{room['id']}/messages")).json()["messages"]] == ["held"]
        assert (await watcher.get(f"/api/v1/rooms/{room['id']}/messages")).json()["messages"] == []

    async def no_bananas(rt, member, room, body, warning):
        if "banana" in body:
            return hooks.Decision("reject", "No fruit here.", "fruit")
        return hooks.ALLOW

    app.state.runtime.registry.message_filters.append(no_bananas)
    try:
        open_room = await _room(app, moderator, name="Fruitless")
        async with signed_in(app, member) as http:
            await http.post(f"/api/v1/rooms/{open_room['id']}/join")
            refused = await http.post(f"/api/v1/rooms/{open_room['id']}/messages", json={"body": "a banana"})
            assert refused.status_code == 422 and refused.json()["error"]["code"] == "fruit"
    finally:
        app.state.runtime.registry.message_filters.remove(no_bananas)
    assert "a banana" not in [m.body for m in await Message.all()]


async def test_history_paging_and_bad_queries(app):
    moderator = await make_member(app, "moderator")
    room = await _room(app, moderator)
    async with signed_in(app, moderator) as http:
        seqs = []
        for n in range(12):
            response = await http.post(f"/api/v1/rooms/{room['id']}/messages", json={"body": f"m{n}"})
            seqs.append(response.json()["message"]["seq"])
        # Paging is by the room's event sequence, the order every reader saw.
        url = f"/api/v1/rooms/{room['id']}/messages"
        assert [m["seq"] for m in (await http.get(url, params={"after": seqs[8]})).json()["messages"]] == seqs[9:]
        assert [m["seq"] for m in (await http.get(url, params={"before": seqs[5], "limit": 3})).json()["messages"]] \
            == seqs[2:5]
        for bad in ({"after": "x"}, {"limit": 0}, {"limit": 500}, {"before": -1}):
            response = await http.get(url, params=bad)
            assert response.status_code in (400, 422) and response.json()["error"]["message"], bad


async def test_room_page_posts_and_pages_without_javascript(app):
    moderator = await make_member(app, "moderator")
    room = await _room(app, moderator, name="Plain")
    async with signed_in(app, moderator) as http:
        page = await http.get(f"/rooms/{room['id']}")
        assert page.status_code == 200 and 'id="send-form"' in page.text
        response = await http.post(f"/rooms/{room['id']}/messages", data={
            "csrf_token": csrf_from(page.text), "body": "<b>not bold</b>", "content_warning": "loss"})
        assert response.status_code == 303
        page = await http.get(f"/rooms/{room['id']}")
        assert "&lt;b&gt;not bold&lt;/b&gt;" in page.text and "<details><summary>" in page.text
        empty = await http.post(f"/rooms/{room['id']}/messages", data={"csrf_token": csrf_from(page.text), "body": " "})
        assert empty.status_code == 422 and 'role="alert"' in empty.text


async def test_erasure_deletes_or_anonymises_messages(app):
    moderator = await make_member(app, "moderator")
    room = await _room(app, moderator)
    keeper, deleter = await make_member(app, pseudonym="Keeps Words"), await make_member(app, pseudonym="Takes Words")
    for person in (keeper, deleter):
        async with signed_in(app, person) as http:
            await http.post(f"/api/v1/rooms/{room['id']}/join")
            await http.post(f"/api/v1/rooms/{room['id']}/messages", json={"body": f"words of {person.pseudonym}"})
            export = (await http.get("/api/v1/me/export")).json()
            assert export["messages"][0]["body"] == f"words of {person.pseudonym}" and [r["room_name"] for r in export["rooms"]] == ["A room"]
    async with signed_in(app, keeper) as http:
        await http.request("DELETE", "/api/v1/me", json={"passphrase": PASSPHRASE, "messages": "anonymise"})
    async with signed_in(app, deleter) as http:
        await http.request("DELETE", "/api/v1/me", json={"passphrase": PASSPHRASE, "messages": "delete"})
    async with signed_in(app, moderator) as http:
        shown = (await http.get(f"/api/v1/rooms/{room['id']}/messages")).json()["messages"]
        assert [(m["author"], m["body"]) for m in shown] == [(None, "words of Keeps Words")]
        page = await http.get(f"/rooms/{room['id']}")
        assert "A former member" in page.text and "Keeps Words</strong>" not in page.text
    assert "Takes Words" not in json.dumps([m.body for m in await Message.all()])


async def test_profiles_visible_to_room_co_members(app):
    moderator = await make_member(app, "moderator")
    room = await _room(app, moderator)
    owner, mate, stranger = await make_member(app), await make_member(app), await make_member(app)
    for person in (owner, mate):
        async with signed_in(app, person) as http:
            await http.post(f"/api/v1/rooms/{room['id']}/join")
    async with signed_in(app, owner) as http:
        await http.patch("/api/v1/me", json={"visibility": "rooms"})
    async with signed_in(app, mate) as http:
        assert (await http.get(f"/api/v1/members/{owner.id}")).status_code == 200
    async with signed_in(app, stranger) as http:
        assert (await http.get(f"/api/v1/members/{owner.id}")).status_code == 404


async def test_edits_pass_the_same_gate_as_new_messages(app):
    moderator = await make_member(app, "moderator")
    premod = await _room(app, moderator, kind="premod", name="Checked")
    member, muted, removed = await make_member(app), await make_member(app), await make_member(app)
    for person in (member, muted, removed):
        async with signed_in(app, person) as http:
            await http.post(f"/api/v1/rooms/{premod['id']}/join")
    async with signed_in(app, member) as http:
        held = (await http.post(f"/api/v1/rooms/{premod['id']}/messages", json={"body": "first words"})).json()["message"]
    async with signed_in(app, moderator) as http:
        await http.post("/api/v1/moderation/actions", json={"action": "approve", "message_id": held["id"]})
        assert [m["body"] for m in (await http.get(f"/api/v1/rooms/{premod['id']}/messages")).json()["messages"]] \
            == ["first words"]
    async with signed_in(app, member) as http:
        edited = (await http.patch(f"/api/v1/messages/{held['id']}", json={"body": "second thoughts"})).json()
        assert edited["message"]["status"] == "held" and edited["message"]["held_reason"]
    async with signed_in(app, moderator) as http:
        events = (await http.get(f"/api/v1/rooms/{premod['id']}/events", params={"after": 0})).json()
        # Others never see the unchecked text: the message is simply gone until it is approved again.
        assert events["events"] == [] and events["seq"] == 2
        assert (await http.get(f"/api/v1/rooms/{premod['id']}/messages")).json()["messages"] == []
        await http.post("/api/v1/moderation/actions", json={"action": "approve", "message_id": held["id"]})
        shown = (await http.get(f"/api/v1/rooms/{premod['id']}/events", params={"after": 2})).json()["events"]
        assert [(e["type"], e["message"]["body"]) for e in shown] == [("edited", "second thoughts")]
    open_room = await _room(app, moderator, name="Open")
    ids = {}
    for person in (muted, removed):
        async with signed_in(app, person) as http:
            await http.post(f"/api/v1/rooms/{open_room['id']}/join")
            ids[person.id] = (await http.post(f"/api/v1/rooms/{open_room['id']}/messages",
                                              json={"body": "before"})).json()["message"]["id"]
    async with signed_in(app, moderator) as http:
        await http.post("/api/v1/moderation/actions", json={"action": "mute", "member_id": muted.id, "reason": "Pause."})
        await http.post("/api/v1/moderation/actions", json={"action": "remove", "member_id": removed.id,
                                                            "room_id": open_room["id"], "reason": "Off topic."})
    for person, code in ((muted, "muted"), (removed, "not_member")):
        async with signed_in(app, person) as http:
            refused = await http.patch(f"/api/v1/messages/{ids[person.id]}", json={"body": "after"})
            assert refused.status_code == 403 and refused.json()["error"]["code"] == code
    assert "after" not in [m.body for m in await Message.all()]


async def test_the_pace_is_a_token_bucket_and_a_refusal_adds_no_wait(app, monkeypatch):
    from network.core import counters

    clock = [1000.0]
    monkeypatch.setattr(counters.time, "monotonic", lambda: clock[0])
    runtime = app.state.runtime
    runtime.settings = runtime.settings.with_(message_burst=3, messages_per_minute=60)
    moderator = await make_member(app, "moderator")
    room = await _room(app, moderator, name="Paced")
    async with signed_in(app, moderator) as http:
        url = f"/api/v1/rooms/{room['id']}/messages"
        assert [(await http.post(url, json={"body": f"quick {n}"})).status_code for n in range(3)] == [201] * 3
        for _ in range(5):  # refused attempts take nothing, so the wait never grows
            refused = await http.post(url, json={"body": "too quick"})
            assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
        clock[0] += 1.0
        assert (await http.post(url, json={"body": "a second later"})).status_code == 201
        # One message a second is allowed however long it goes on (a fixed window refused the 21st).
        statuses = []
        for n in range(25):
            clock[0] += 1.0
            statuses.append((await http.post(url, json={"body": f"steady {n}"})).status_code)
        assert set(statuses) == {201}
