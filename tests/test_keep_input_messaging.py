"""Refused forms in rooms and moderation, without JavaScript: what was typed comes back, the
error is translated and next to its field (aria-invalid, aria-describedby), nothing is stored.
And on an Arabic page, stored codes and system notes are shown as words, user content marked."""

from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser

from messaging.models import Message, Room
from moderation import actions, labels
from moderation.models import Appeal, Note, Report, Sanction, WatchedWord
from network.core.i18n import gettext, ngettext
from network.members.models import Member
from tests.helpers import csrf_from, make_member, signed_in
from tests.test_moderation import _room_with

LONG = "x" * 2001


class _Elements(HTMLParser):
    """Every element's attributes and its text, by id (enough to read back a form)."""

    VOID = {"input", "br", "img", "meta", "link", "hr"}

    def __init__(self, html: str):
        super().__init__()
        self.by_id: dict[str, dict] = {}
        self.open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, **{k: (v if v is not None else "") for k, v in attrs}, "text": ""}
        if "id" in element:
            self.by_id[element["id"]] = element
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self.open:
            element["text"] += data


def field(html: str, element_id: str) -> dict:
    found = _Elements(html).by_id.get(element_id)
    assert found is not None, f"no #{element_id} on the page"
    return found


def assert_invalid(html: str, element_id: str, message: str) -> None:
    """The field is marked invalid and described by an error beside it that says `message`."""
    control = field(html, element_id)
    assert control.get("aria-invalid") == "true", control
    error = field(html, control["aria-describedby"])
    assert message in error["text"], error


async def _acted_on(app, action: str, reason: str):
    """A member in a room, and the room's moderator who has just taken `action` about them."""
    member = await make_member(app)
    keeper, room = await _room_with(app, member)
    async with signed_in(app, keeper) as http:
        await http.post("/api/v1/moderation/actions", json={"action": action, "member_id": member.id,
                                                            "reason": reason})
    return member, keeper, room


async def _send(http, room, **data):
    page = await http.get(f"/rooms/{room['id']}")
    return await http.post(f"/rooms/{room['id']}/messages", data={"csrf_token": csrf_from(page.text), **data})


async def test_a_refused_message_keeps_what_was_typed(app):
    member = await make_member(app)
    keeper, room = await _room_with(app, member, slow_mode_seconds=60)
    async with signed_in(app, keeper) as http:
        await http.post("/api/v1/moderation/words", json={"locale": "en", "word": "traitor", "action": "block"})
    async with signed_in(app, member) as http:
        too_long = await _send(http, room, body=LONG, content_warning="grief")
        assert too_long.status_code == 422
        assert field(too_long.text, "f-body")["text"] == LONG
        assert field(too_long.text, "f-cw")["value"] == "grief"
        assert_invalid(too_long.text, "f-body", "A message can have at most 2000 characters.")

        blocked = await _send(http, room, body="you traitor")
        assert blocked.status_code == 422 and field(blocked.text, "f-body")["text"] == "you traitor"
        assert_invalid(blocked.text, "f-body", "contains words that are not allowed here")

        long_warning = await _send(http, room, body="fine words", content_warning="w" * 201)
        assert long_warning.status_code == 422
        assert field(long_warning.text, "f-body")["text"] == "fine words"
        assert_invalid(long_warning.text, "f-cw", "A content warning can have at most 200 characters.")

        assert (await _send(http, room, body="first")).status_code == 303
        slow = await _send(http, room, body="second, too soon")
        assert slow.status_code == 429
        assert field(slow.text, "f-body")["text"] == "second, too soon"
        assert "slow mode" in field(slow.text, "form-error")["text"]
    assert [m.body for m in await Message.all()] == ["first"]


async def test_a_muted_member_keeps_their_words(app):
    member, keeper, room = await _acted_on(app, "mute", "A pause.")
    async with signed_in(app, member) as http:
        muted = await _send(http, room, body="can anyone hear me")
        assert muted.status_code == 403
        assert field(muted.text, "f-body")["text"] == "can anyone hear me"
        assert "You are muted" in field(muted.text, "form-error")["text"]
    assert await Message.all().count() == 0


async def test_a_guarded_message_opens_for_rephrasing(app):
    member = await make_member(app)
    _, room = await _room_with(app, member)
    async with signed_in(app, member) as http:
        sent = await _send(http, room, body="call me on 0712 345 678")
        assert sent.status_code == 303 and "sent=held" in sent.headers["location"]
        page = await http.get(sent.headers["location"])
        held = await Message.get(status="held")
        assert "phone number" in page.text
        assert '<details class="own" open>' in page.text
        assert field(page.text, f"edit-{held.id}")["text"] == "call me on 0712 345 678"
        assert "Held: waiting for a moderator" in field(page.text, f"m{held.id}")["text"]
        assert "held" not in field(page.text, f"m{held.id}")["class"].split()  # no faded-out class


async def test_a_refused_edit_keeps_the_new_words_and_changes_nothing(app):
    member = await make_member(app)
    _, room = await _room_with(app, member)
    async with signed_in(app, member) as http:
        message = (await http.post(f"/api/v1/rooms/{room['id']}/messages", json={"body": "original"})).json()["message"]
        page = await http.get(f"/rooms/{room['id']}")
        refused = await http.post(f"/messages/{message['id']}/edit",
                                  data={"csrf_token": csrf_from(page.text), "body": LONG})
        assert refused.status_code == 422
        assert field(refused.text, f"edit-{message['id']}")["text"] == LONG
        assert_invalid(refused.text, f"edit-{message['id']}", "at most 2000 characters")
        other = await http.post("/messages/999999/edit", data={"csrf_token": csrf_from(page.text), "body": "x"})
        assert other.status_code == 404
    assert (await Message.get(id=message["id"])).body == "original"


async def test_room_creation_keeps_the_form(app):
    keeper = await make_member(app, "moderator")
    async with signed_in(app, keeper) as http:
        page = await http.get("/rooms/new")
        base = {"csrf_token": csrf_from(page.text), "description": "for evenings", "kind": "premod",
                "language": "sw", "retention": "7d", "age_group": "all", "slow_mode_seconds": "30", "region": "KE"}
        short = await http.post("/rooms/new", data={**base, "name": "x"})
        assert short.status_code == 422
        assert field(short.text, "f-description")["text"] == "for evenings"
        assert field(short.text, "f-slow_mode_seconds")["value"] == "30"
        assert field(short.text, "f-region")["value"] == "KE"
        for chosen in ('"premod"', '"sw" lang="sw"', '"7d"', '"all"'):
            assert f'<option value={chosen} selected>' in short.text, chosen
        assert_invalid(short.text, "f-name", "A room name has 2 to 80 characters.")
        slow = await http.post("/rooms/new", data={**base, "name": "Evening", "slow_mode_seconds": "soon"})
        assert slow.status_code == 422 and field(slow.text, "f-name")["value"] == "Evening"
        assert_invalid(slow.text, "f-slow_mode_seconds", "Slow mode is a number of seconds.")
        for bad in ("abc", "99999999999999999999", "-3"):
            support = await http.post("/rooms/new", data={**base, "name": "Just you", "kind": "support",
                                                          "support_member_id": bad})
            assert support.status_code == 422, bad
            assert field(support.text, "f-support_member_id")["value"] == bad
            assert_invalid(support.text, "f-support_member_id", "Choose the member this support room is for.")
        odd = await http.post("/rooms/new", data={**base, "name": "Odd", "kind": "secret"})
        assert odd.status_code == 422
        assert_invalid(odd.text, "f-kind", "Choose from the list offered.")
    assert await Room.all().count() == 0


async def test_a_refused_report_comes_back_filled_in(app):
    author, reporter = await make_member(app), await make_member(app)
    _, room = await _room_with(app, author, reporter)
    async with signed_in(app, author) as http:
        message = (await http.post(f"/api/v1/rooms/{room['id']}/messages", json={"body": "hm"})).json()["message"]
    async with signed_in(app, reporter) as http:
        page = await http.get(f"/rooms/{room['id']}")
        data = {"csrf_token": csrf_from(page.text), "target": "message", "id": str(message["id"]),
                "next": f"/rooms/{room['id']}"}
        refused = await http.post("/reports", data={**data, "reason": "other", "note": " "})
        assert refused.status_code == 422
        assert_invalid(refused.text, "r-note", "Please say a few words about what is wrong.")
        assert '<option value="other" selected>' in refused.text
        assert field(refused.text, "r-reason")["tag"] == "select"
        assert f'name="next" value="/rooms/{room["id"]}"' in refused.text
        bad_reason = await http.post("/reports", data={**data, "reason": "boring", "note": "so dull"})
        assert bad_reason.status_code == 422 and field(bad_reason.text, "r-note")["value"] == "so dull"
        assert_invalid(bad_reason.text, "r-reason", "Choose a reason from the list.")
        elsewhere = await http.post("/reports", data={**data, "reason": "other", "next": "//evil.example"})
        assert elsewhere.status_code == 422 and 'value="//evil.example"' not in elsewhere.text
    assert await Report.all().count() == 0


async def test_moderator_forms_keep_what_was_typed(app):
    member = await make_member(app)
    keeper, room = await _room_with(app, member)
    async with signed_in(app, keeper) as http:
        page = await http.get(f"/moderation/members/{member.id}")
        token = csrf_from(page.text)
        note = await http.post("/moderation/notes", data={"csrf_token": token, "member_id": str(member.id),
                                                          "text": "n" * 2001})
        assert note.status_code == 422 and field(note.text, "f-note")["text"] == "n" * 2001
        assert_invalid(note.text, "f-note", "Write a note of up to 2,000 characters.")

        act = {"csrf_token": token, "member_id": str(member.id), "next": f"/moderation/members/{member.id}"}
        no_reason = await http.post("/moderation/actions", data={**act, "action": "mute", "minutes": "30",
                                                                 "room_id": str(room["id"]), "reason": " "})
        assert no_reason.status_code == 422
        assert field(no_reason.text, "f-minutes")["value"] == "30"
        assert f'<option value="{room["id"]}" dir="auto" lang="en" selected>' in no_reason.text
        assert '<option value="mute" selected>' in no_reason.text
        assert_invalid(no_reason.text, "f-reason", "Every action needs a reason.")
        minutes = await http.post("/moderation/actions", data={**act, "action": "mute", "minutes": "0",
                                                               "reason": "Cool down."})
        assert minutes.status_code == 422 and field(minutes.text, "f-reason")["text"] == "Cool down."
        assert_invalid(minutes.text, "f-minutes", "A duration is from 1 minute to a year.")
        removal = await http.post("/moderation/actions", data={**act, "action": "remove", "reason": "Out."})
        assert_invalid(removal.text, "f-room", "Choose the room.")
        assert await Sanction.all().count() == 0

        await http.post("/api/v1/moderation/actions", json={"action": "warn", "member_id": member.id,
                                                            "reason": "Mind the words."})
        warning = await Sanction.get(member=member)
        lift = await http.post("/moderation/actions", data={
            "csrf_token": token, "action": "lift", "sanction_id": str(warning.id), "reason": "r" * 1001,
            "next": f"/moderation/members/{member.id}"})
        assert lift.status_code == 422 and field(lift.text, f"lift-{warning.id}")["value"] == "r" * 1001
        assert_invalid(lift.text, f"lift-{warning.id}", "A reason can have at most 1000 characters.")
        assert (await Sanction.get(id=warning.id)).lifted_at is None

        words = await http.get("/moderation/words")
        word = await http.post("/moderation/words", data={"csrf_token": token, "word": "w" * 101, "locale": "fa",
                                                          "action": "flag"})
        assert word.status_code == 422 and field(word.text, "f-word")["value"] == "w" * 101
        assert '<option value="fa" lang="fa" selected>' in word.text
        assert '<option value="flag" selected>' in word.text
        assert_invalid(word.text, "f-word", "Give a word, its language and what to do with it.")
        bad_locale = await http.post("/moderation/words", data={"csrf_token": csrf_from(words.text), "word": "ok",
                                                                "locale": "xx", "action": "flag"})
        assert bad_locale.status_code == 422
        assert_invalid(bad_locale.text, "f-locale", "Give a word, its language and what to do with it.")
    assert await Note.all().count() == 0 and await WatchedWord.all().count() == 0


async def test_a_queue_action_refused_keeps_its_reason_in_its_own_form(app):
    member = await make_member(app)
    keeper, room = await _room_with(app, member)
    async with signed_in(app, member) as http:
        held = (await http.post(f"/api/v1/rooms/{room['id']}/messages",
                                json={"body": "my number is 0712 345 678"})).json()["message"]
    async with signed_in(app, keeper) as http:
        page = await http.get("/moderation")
        refused = await http.post("/moderation/actions", data={
            "csrf_token": csrf_from(page.text), "action": "reject", "message_id": str(held["id"]),
            "reason": "r" * 1001, "next": "/moderation"})
        assert refused.status_code == 422
        own = f"reason-reject-{held['id']}"
        assert field(refused.text, own)["value"] == "r" * 1001
        assert_invalid(refused.text, own, "A reason can have at most 1000 characters.")
        assert "aria-invalid" not in str(field(refused.text, f"reason-escalate-held-{held['id']}"))
        gone = await http.post("/moderation/actions", data={
            "csrf_token": csrf_from(page.text), "action": "hide", "message_id": "999999", "reason": "gone"})
        assert gone.status_code == 404 and "That message was not found." in field(gone.text, "form-error")["text"]
    assert (await Message.get(id=held["id"])).status == "held"


async def test_a_refused_appeal_keeps_its_text(app):
    member, keeper, _ = await _acted_on(app, "warn", "Mind the words.")
    warning = await Sanction.get(member=member)
    async with signed_in(app, member) as http:
        page = await http.get("/notices")
        notice_id = field(page.text, f"a-{(await warning.notices.all())[0].id}")["id"]
        refused = await http.post("/appeals", data={"csrf_token": csrf_from(page.text),
                                                    "sanction_id": str(warning.id), "text": "a" * 2001})
        assert refused.status_code == 422 and field(refused.text, notice_id)["text"] == "a" * 2001
        assert_invalid(refused.text, notice_id, "Say in up to 2,000 characters why this should change.")
        assert "<details open>" in refused.text
        unknown = await http.post("/appeals", data={"csrf_token": csrf_from(page.text), "sanction_id": "999999",
                                                    "text": "please"})
        assert unknown.status_code == 404 and "That action was not found." in field(unknown.text, "form-error")["text"]
    assert await Appeal.all().count() == 0


async def test_codes_and_system_notes_read_as_words_on_an_arabic_page(app):
    member, reporter = await make_member(app, pseudonym="Amani K"), await make_member(app)
    keeper, room = await _room_with(app, member, reporter, language="sw")
    await Member.filter(id__in=[member.id, keeper.id]).update(locale="ar")
    async with signed_in(app, keeper) as http:
        await http.post("/api/v1/moderation/words", json={"locale": "sw", "word": "siri", "action": "flag"})
        await http.post("/api/v1/moderation/actions", json={"action": "mute", "member_id": member.id,
                                                            "minutes": 5, "reason": "Pause, please."})
    await Sanction.filter(kind="mute").update(until=datetime.now(timezone.utc) - timedelta(seconds=1))
    assert await actions.lift_expired() == 1
    async with signed_in(app, member) as http:
        sent = await http.post(f"/api/v1/rooms/{room['id']}/messages", json={"body": "ni siri yetu",
                                                                            "content_warning": "huzuni"})
        assert sent.status_code == 201
        notices = await http.get("/notices")
        rooms = await http.get(f"/rooms/{room['id']}")

    def ar(msgid, **params):
        return gettext("ar", msgid, **params)

    assert '<html lang="ar" dir="rtl">' in notices.text
    assert labels.TIME_IS_UP not in notices.text
    assert ar(labels.SYSTEM_TEXTS[labels.TIME_IS_UP]) in notices.text
    assert '<span dir="auto">Pause, please.</span>' in notices.text
    assert '<p class="body" dir="auto" lang="sw">ni siri yetu</p>' in rooms.text
    assert '<span dir="auto" lang="sw">huzuni</span>' in rooms.text
    assert '<h1 dir="auto" lang="sw">Safe room</h1>' in rooms.text
    async with signed_in(app, keeper) as http:
        queue = await http.get("/moderation?kind=report")
        log = await http.get("/moderation/log")
        file = await http.get(f"/moderation/members/{member.id}")
    assert '<html lang="ar" dir="rtl">' in queue.text
    assert labels.FLAGGED not in queue.text and ar(labels.SYSTEM_TEXTS[labels.FLAGGED]) in queue.text
    assert ar("Something else") in queue.text  # the report's reason code, as words
    assert 'dir="auto" lang="sw">ni siri yetu</p>' in queue.text
    for code, label in (("mute", "Mute"), ("lift", "Action lifted"), ("add_word", "Watched word added")):
        assert f"<td>{ar(label)} ·" in log.text, code
    for raw in ("add_word", "time is up", "(flag)", "sw: siri"):
        assert raw not in log.text, raw
    assert '<span dir="auto" lang="sw">siri</span>' in log.text
    assert ar("member %(id)s", id=member.id) in log.text
    assert ngettext("ar", "for %(num)s minute", "for %(num)s minutes", 5) in log.text
    assert ar("Active") in file.text and '<h1 dir="auto">Amani K</h1>' in file.text
    assert "Status: active" not in file.text
