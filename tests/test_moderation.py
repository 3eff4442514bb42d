"""Moderation in-process: reports and the queue, every action with its reason and notice, appeals,
watched words and the identifying-details guard, timed mutes, the log, notes."""

from datetime import datetime, timedelta, timezone

import pytest
from tortoise import connections

from messaging.models import Message
from moderation import actions, filters, service
from moderation.models import LogEntry, Note, Sanction
from network.members.models import Member
from network.safety.models import SafetyAlert
from tests.conftest import both_databases
from tests.helpers import csrf_from, make_member, signed_in


async def _room_with(app, *people, **fields):
    moderator = await make_member(app, "moderator")
    async with signed_in(app, moderator) as http:
        room = (await http.post("/api/v1/rooms", json={"name": "Safe room", **fields})).json()["room"]
    for person in people:
        async with signed_in(app, person) as http:
            await http.post(f"/api/v1/rooms/{room['id']}/join")
    return moderator, room


async def _post(app, person, room, body):
    async with signed_in(app, person) as http:
        return await http.post(f"/api/v1/rooms/{room['id']}/messages", json={"body": body})


@both_databases
async def test_a_reported_message_is_shown_with_two_before_and_two_after_it_in_its_own_room(app, database_url):
    author, reporter = await make_member(app), await make_member(app)
    moderator, room = await _room_with(app, author, reporter, language="fr")
    _, elsewhere = await _room_with(app, author)
    bodies = [f"message {n}" for n in range(7)]
    posted = []
    for n, body in enumerate(bodies):
        posted.append((await _post(app, author, room, body)).json()["message"])
        await _post(app, author, elsewhere, f"other room {n}")
    async with signed_in(app, reporter) as http:
        for target in (posted[0], posted[3], posted[6]):
            assert (await http.post("/api/v1/reports", json={"target": "message", "id": target["id"],
                                                             "reason": "spam"})).status_code == 201
    async with signed_in(app, moderator) as http:
        items = (await http.get("/api/v1/moderation/queue", params={"kind": "report"})).json()["items"]
    shown = {item["message_id"]: [(m["body"], m["language"]) for m in item["context"]] for item in items}
    assert shown == {posted[0]["id"]: [(b, "fr") for b in bodies[0:3]],
                     posted[3]["id"]: [(b, "fr") for b in bodies[1:6]],
                     posted[6]["id"]: [(b, "fr") for b in bodies[4:7]]}


async def test_reports_reach_the_queue_by_priority_and_the_reporter_learns_the_outcome(app):
    author, reporter, other = await make_member(app), await make_member(app), await make_member(app)
    moderator, room = await _room_with(app, author, reporter, other)
    message = (await _post(app, author, room, "you are worthless")).json()["message"]
    async with signed_in(app, reporter) as http:
        bad = await http.post("/api/v1/reports", json={"target": "message", "id": message["id"], "reason": "other"})
        assert bad.status_code == 422  # "other" needs a note
        assert (await http.post("/api/v1/reports", json={"target": "message", "id": message["id"],
                                                         "reason": "spam"})).status_code == 201
    async with signed_in(app, other) as http:
        assert (await http.post("/api/v1/reports", json={"target": "message", "id": message["id"],
                                                         "reason": "self_harm"})).status_code == 201
        assert (await http.get("/api/v1/moderation/queue")).status_code == 403
    async with signed_in(app, moderator) as http:
        items = (await http.get("/api/v1/moderation/queue", params={"kind": "report"})).json()["items"]
        assert [i["reason"] for i in items] == ["self_harm", "spam"]  # risk of harm first
        assert items[0]["context"][0]["body"] == "you are worthless"
        no_reason = await http.post("/api/v1/moderation/actions", json={"action": "hide", "message_id": message["id"]})
        assert no_reason.status_code == 422 and no_reason.json()["error"]["code"] == "reason_required"
        done = await http.post("/api/v1/moderation/actions", json={"action": "hide", "message_id": message["id"],
                                                                   "reason": "Insults are not allowed here."})
        assert done.status_code == 200
        assert (await http.get("/api/v1/moderation/queue", params={"kind": "report"})).json()["items"] == []
    assert (await Message.get(id=message["id"])).status == "hidden"
    async with signed_in(app, reporter) as http:
        kinds = [n["kind"] for n in (await http.get("/api/v1/notices")).json()["notices"]]
        assert kinds == ["report_action_taken"]
    async with signed_in(app, author) as http:
        notices = (await http.get("/api/v1/notices")).json()["notices"]
        assert [(n["kind"], n["reason"]) for n in notices] == [("hidden", "Insults are not allowed here.")]
        page = (await http.get("/notices", headers={"accept-language": "fr"})).text
        assert "Insults are not allowed here." in page and 'lang="fr"' in page
        assert reporter.pseudonym not in page and other.pseudonym not in page
        assert "spam" not in str(notices) and "self_harm" not in str(notices)


async def test_claiming_and_escalation(app):
    author = await make_member(app)
    moderator, room = await _room_with(app, author)
    second, admin = await make_member(app, "moderator"), await make_member(app, "admin")
    await SafetyAlert.create(member=author, note="duress")
    alert = await SafetyAlert.get(member=author)
    async with signed_in(app, moderator) as http:
        assert (await http.post("/api/v1/moderation/claim", json={"kind": "alert", "id": alert.id})).status_code == 200
    async with signed_in(app, second) as http:
        taken = await http.post("/api/v1/moderation/claim", json={"kind": "alert", "id": alert.id})
        assert taken.status_code == 409
        item = (await http.get("/api/v1/moderation/queue", params={"kind": "alert"})).json()["items"][0]
        assert item["claimed_by"] == moderator.pseudonym
        await http.post("/api/v1/moderation/actions", json={"action": "escalate", "kind": "alert", "item_id": alert.id,
                                                            "reason": "needs an administrator"})
        assert (await http.get("/api/v1/moderation/queue", params={"kind": "alert"})).json()["items"] == []
    async with signed_in(app, admin) as http:
        items = (await http.get("/api/v1/moderation/queue", params={"kind": "alert"})).json()["items"]
        assert items[0]["escalated"] is True
        await http.post("/api/v1/moderation/actions", json={"action": "handle_alert", "alert_id": alert.id,
                                                            "reason": "spoke with the member"})
    assert (await SafetyAlert.get(id=alert.id)).status == "handled"


async def test_warn_mute_remove_suspend_and_lift(app):
    target = await make_member(app)
    moderator, room = await _room_with(app, target)
    async with signed_in(app, moderator) as http:
        act = lambda **body: http.post("/api/v1/moderation/actions", json=body)  # noqa: E731
        assert (await act(action="warn", member_id=target.id, reason="Be kind.")).status_code == 200
        assert (await act(action="mute", member_id=target.id, room_id=room["id"], minutes=30,
                          reason="Cool down.")).status_code == 200
    refused = await _post(app, target, room, "can I talk?")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "muted"
    mute = await Sanction.get(kind="mute")
    async with signed_in(app, moderator) as http:
        await http.post("/api/v1/moderation/actions", json={"action": "lift", "sanction_id": mute.id, "reason": "ok now"})
    assert (await _post(app, target, room, "thank you")).status_code == 201
    async with signed_in(app, moderator) as http:
        await http.post("/api/v1/moderation/actions", json={"action": "remove", "member_id": target.id,
                                                            "room_id": room["id"], "reason": "Off topic."})
    async with signed_in(app, target) as http:
        assert (await http.get(f"/api/v1/rooms/{room['id']}/messages")).status_code == 403
        notices = [n["kind"] for n in (await http.get("/api/v1/notices")).json()["notices"]]
        assert notices == ["remove", "lifted", "mute", "warn"]
    async with signed_in(app, target) as target_http:
        async with signed_in(app, moderator) as http:
            await http.post("/api/v1/moderation/actions", json={"action": "suspend", "member_id": target.id,
                                                                "reason": "Threats."})
        assert (await target_http.get("/api/v1/me")).status_code == 401  # sessions ended
    async with signed_in(app, moderator) as http:
        login = await http.post("/api/v1/auth/login", json={"pseudonym": target.pseudonym,
                                                            "passphrase": "quiet river under the moon"})
    assert login.status_code == 401
    log = [(e.action, e.reason) for e in await LogEntry.all().order_by("id")]
    assert [a for a, _ in log] == ["warn", "mute", "lift", "remove", "suspend"]
    assert all(reason for _, reason in log)


async def test_a_timed_mute_lifts_itself(app):
    target = await make_member(app)
    moderator, room = await _room_with(app, target)
    async with signed_in(app, moderator) as http:
        await http.post("/api/v1/moderation/actions", json={"action": "mute", "member_id": target.id, "minutes": 5,
                                                            "reason": "A short break."})
    assert (await _post(app, target, room, "hello?")).status_code == 403
    await Sanction.filter(kind="mute").update(until=datetime.now(timezone.utc) - timedelta(seconds=1))
    assert (await _post(app, target, room, "hello again")).status_code == 201
    assert await actions.lift_expired() == 1
    assert (await Sanction.get(kind="mute")).lifted_at is not None
    async with signed_in(app, target) as http:
        assert (await http.get("/api/v1/notices")).json()["notices"][0]["kind"] == "lifted"


async def _muted_and_appealed(app):
    """A member muted by one moderator appeals; another moderator is there to decide it."""
    target = await make_member(app)
    moderator, room = await _room_with(app, target)
    other = await make_member(app, "moderator")
    async with signed_in(app, moderator) as http:
        await http.post("/api/v1/moderation/actions", json={"action": "mute", "member_id": target.id,
                                                            "reason": "Spamming links."})
    sanction = await Sanction.get(kind="mute")
    async with signed_in(app, target) as http:
        assert (await http.post("/api/v1/appeals", json={"sanction_id": sanction.id, "text": "It was one link."})).status_code == 201
        again = await http.post("/api/v1/appeals", json={"sanction_id": sanction.id, "text": "Please."})
        assert again.status_code == 409
    return target, moderator, other, room, sanction


async def test_an_appeal_goes_to_a_different_moderator_once(app):
    target, moderator, other, room, sanction = await _muted_and_appealed(app)
    async with signed_in(app, moderator) as http:
        assert (await http.get("/api/v1/moderation/queue", params={"kind": "appeal"})).json()["items"] == []
        appeal_id = (await service.queue(app.state.runtime, other, "appeal"))[0]["id"]
        same = await http.post("/api/v1/moderation/actions", json={"action": "overturn", "appeal_id": appeal_id,
                                                                   "reason": "I changed my mind"})
        assert same.status_code == 403
    async with signed_in(app, other) as http:
        items = (await http.get("/api/v1/moderation/queue", params={"kind": "appeal"})).json()["items"]
        assert items[0]["text"] == "It was one link."
        await http.post("/api/v1/moderation/actions", json={"action": "overturn", "appeal_id": appeal_id,
                                                            "reason": "One link is fine."})
    assert (await Sanction.get(id=sanction.id)).lifted_at is not None
    assert (await _post(app, target, room, "back")).status_code == 201


async def test_an_appeal_whose_moderator_has_left_still_reaches_the_others(app):
    _, _, other, _, sanction = await _muted_and_appealed(app)
    await Sanction.filter(id=sanction.id).update(by_id=None)  # as when that moderator's account is erased
    async with signed_in(app, other) as http:
        items = (await http.get("/api/v1/moderation/queue", params={"kind": "appeal"})).json()["items"]
    assert [i["text"] for i in items] == ["It was one link."]


@pytest.mark.parametrize("text,kind", [
    ("call me 0712 345 678", "phone"), ("call me +254 712 345 678", "phone"),
    ("اتصل بي ٠٧١٢٣٤٥٦٧٨", "phone"),            # Arabic-Indic digits
    ("با من تماس بگیرید ۰۷۹۱۲۳۴۵۶۷", "phone"),     # Persian digits
    ("мій номер 067 123 45 67", "phone"), ("nipigie 0722-123-456", "phone"), ("llámame al 310 555 1234", "phone"),
    ("write to amina.k@example.org", "email"), ("écrivez à nadia@mail.fr", "email"),
    ("I live at 12 Rue Lumumba", "address"), ("vivo en Calle 45 # 12", "address"), ("живу на вулиця Шевченка 10", "address"),
    ("أسكن في شارع الرشيد ١٢", "address"), ("خانه ما در کوچه ۱۴", "address"), ("naishi mtaa wa Moi 45", "address"),
    ("we are at -1.6789, 29.2345", "coordinates"), ("my card is A1234567", "id_number"),
])
def test_the_guard_catches_identifying_details_in_every_language(text, kind):
    assert filters.identifying_details(text) == kind


@pytest.mark.parametrize("text", ["I waited 3 hours", "in 2019 we were 150 people", "see you at 10:30",
                                  "It costs 1,500 shillings", "Salam, je vais mieux", "صباح الخير"])
def test_the_guard_leaves_ordinary_messages_alone(text):
    assert filters.identifying_details(text) is None


async def test_guarded_messages_are_held_and_the_sender_told_why(app):
    member = await make_member(app)
    moderator, room = await _room_with(app, member)
    response = await _post(app, member, room, "my number is ٠٧١٢٣٤٥٦٧٨")
    assert response.status_code == 201 and response.json()["message"]["status"] == "held"
    held = await Message.get(id=response.json()["message"]["id"])
    assert "phone number" in held.held_reason
    async with signed_in(app, moderator) as http:
        items = (await http.get("/api/v1/moderation/queue", params={"kind": "held"})).json()["items"]
        assert items[0]["message_id"] == held.id
        await http.post("/api/v1/moderation/actions", json={"action": "approve", "message_id": held.id})
    assert (await Message.get(id=held.id)).status == "visible"


async def test_watched_words_block_hold_and_flag(app):
    member = await make_member(app)
    moderator, room = await _room_with(app, member)
    async with signed_in(app, moderator) as http:
        for word, action in (("traitor", "block"), ("meet up", "hold"), ("secret", "flag")):
            assert (await http.post("/api/v1/moderation/words", json={"locale": "en", "word": word, "action": action})).status_code == 201
    blocked = await _post(app, member, room, "You TRAITOR")
    assert blocked.status_code == 422 and blocked.json()["error"]["code"] == "watched_word"
    assert (await _post(app, member, room, "shall we meet up?")).json()["message"]["status"] == "held"
    flagged = await _post(app, member, room, "a secret garden")
    assert flagged.json()["message"]["status"] == "visible"
    reports = await service.queue(app.state.runtime, moderator, "report")
    assert reports and reports[0]["note"] == "flagged by a watched word"
    assert (await _post(app, member, room, "traitorous weather")).status_code == 201  # whole words only


async def test_new_members_first_messages_are_held(app):
    runtime = app.state.runtime
    runtime.settings = runtime.settings.with_(hold_first_messages=2)
    try:
        member = await make_member(app)
        moderator, room = await _room_with(app, member)
        first = (await _post(app, member, room, "hello, I am new")).json()["message"]
        assert first["status"] == "held"
        async with signed_in(app, moderator) as http:
            await http.post("/api/v1/moderation/actions", json={"action": "approve", "message_id": first["id"]})
            assert (await _post(app, member, room, "second")).json()["message"]["status"] == "held"
            second = next(m for m in await Message.all() if m.body == "second")
            await http.post("/api/v1/moderation/actions", json={"action": "approve", "message_id": second.id})
        assert (await _post(app, member, room, "third")).json()["message"]["status"] == "visible"
        assert (await _post(app, moderator, room, "staff are never held")).json()["message"]["status"] == "visible"
    finally:
        runtime.settings = runtime.settings.with_(hold_first_messages=0)


async def test_notes_are_encrypted_and_the_log_is_append_only(app):
    member = await make_member(app)
    moderator = await make_member(app, "moderator")
    async with signed_in(app, moderator) as http:
        assert (await http.post("/api/v1/moderation/notes", json={"member_id": member.id, "text": "lives near the camp"})).status_code == 201
        file = (await http.get(f"/api/v1/moderation/members/{member.id}")).json()
        assert file["notes"][0]["text"] == "lives near the camp"
    raw = await connections.get("default").execute_query_dict("SELECT text FROM mod_note")
    assert raw[0]["text"].startswith("enc:2:") and "camp" not in raw[0]["text"]
    entry = await LogEntry.first()
    entry.reason = "rewritten"
    with pytest.raises(PermissionError):
        await entry.save()
    with pytest.raises(PermissionError):
        await entry.delete()
    assert await Note.filter(member=member).count() == 1


async def test_moderation_pages_work_from_a_form(app):
    member = await make_member(app)
    moderator, room = await _room_with(app, member)
    message = (await _post(app, member, room, "call 0712345678")).json()["message"]
    async with signed_in(app, moderator) as http:
        page = await http.get("/moderation")
        assert page.status_code == 200 and "<details class=\"content\">" in page.text
        response = await http.post("/moderation/actions", data={"csrf_token": csrf_from(page.text), "action": "reject",
                                                                 "message_id": str(message["id"]), "reason": "A phone number."})
        assert response.status_code == 303
    assert (await Message.get(id=message["id"])).status == "hidden"
    assert await Member.filter(id=member.id).exists()


async def test_a_member_can_be_reported_from_their_profile(app):
    reported, reporter = await make_member(app, pseudonym="Pushy Person"), await make_member(app)
    moderator = await make_member(app, "moderator")
    async with signed_in(app, reported) as http:
        await http.patch("/api/v1/me", json={"visibility": "members"})
    async with signed_in(app, reporter) as http:
        page = await http.get(f"/members/{reported.id}")
        assert 'name="target" value="member"' in page.text
        response = await http.post("/reports", data={"csrf_token": csrf_from(page.text), "target": "member",
                                                      "id": str(reported.id), "reason": "infiltrator",
                                                      "next": f"/members/{reported.id}"})
        assert response.status_code == 303 and "reported=1" in response.headers["location"]
    items = await service.queue(app.state.runtime, moderator, "report")
    assert [(i["reason"], i["member_id"]) for i in items] == [("infiltrator", reported.id)]
    async with signed_in(app, reported) as http:
        assert (await http.get("/api/v1/notices")).json()["notices"] == []
