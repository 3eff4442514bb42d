"""Nobody can link an answer to a member: not with a copy of the database and every server secret,
not by time, order or attributes; and the member keeps reaching their own answers through their
key, across sign-ins, passphrase changes and recovery (a decoy never does)."""

from __future__ import annotations

import logging
from datetime import date, datetime

from argon2 import PasswordHasher
from tortoise import connections

from consultations import participation
from consultations.models import Answer, Participation, SharedAnswer
from network.core.keys import digest
from network.members import sessions
from network.members.models import Member, RecoveryCode, Session
from tests.helpers import PASSPHRASE, api_login, make_member, new_client, signed_in
from tests.test_consultations import DRAFT, _answers, _create

DURESS = "an entirely different passphrase"


async def _answer(http, consultation, single=0, share=True):
    cid = consultation["id"]
    assert (await http.post(f"/api/v1/consultations/{cid}/consent", json={"share_profile": share})).status_code == 200
    saved = await http.put(f"/api/v1/consultations/{cid}/answers",
                           json={"answers": _answers(consultation, single, [0], 3, [0, 1, 2]), "submit": True})
    assert saved.status_code == 200, saved.text


async def _dump() -> dict[str, list[dict]]:
    """What a seized copy of the database holds, table by table."""
    conn = connections.get("default")
    tables = ["member", "session", "recovery_code", "consultation_participation", "consultation_answer",
              "consultation_shared_answer"]
    return {table: await conn.execute_query_dict(f"SELECT * FROM {table}") for table in tables}


async def test_a_copy_of_the_database_with_every_secret_links_no_answer_to_a_member(app, caplog, monkeypatch):
    monkeypatch.setattr(sessions, "TOUCH_EVERY", sessions.TOUCH_EVERY * 0)  # any other request would touch
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    people, inserted = [], []
    for n in range(8):
        member = await make_member(app, pseudonym=f"Quiet Voice {n}")
        async with signed_in(app, member) as http:
            await http.patch("/api/v1/me", json={"languages": ["sw" if n % 2 else "fr"], "region": "KE" if n < 4 else "CD",
                                                 "age_band": "25-34"})
            before = {s.id: s.last_seen_at for s in await Session.filter(member_id=member.id)}
            known = set(await Participation.all().values_list("id", flat=True))
            with caplog.at_level(logging.INFO, logger="survnet.access"):
                caplog.clear()
                await _answer(http, consultation, single=n % 3, share=n % 4 != 0)
                answer_lines = [r.getMessage() for r in caplog.records if "/consultations/" in r.getMessage()]
            inserted += list(set(await Participation.all().values_list("id", flat=True)) - known)
            after = {s.id: s.last_seen_at for s in await Session.filter(member_id=member.id)}
        # Saving consent and answers wrote no log line and touched no session: nothing to match times with.
        assert answer_lines == [] and before == after
        people.append(member)
    settings = app.state.settings
    dump = await _dump()
    parts = dump["consultation_participation"]
    assert len(parts) == 8
    # 1. Recompute tokens with every secret the server has: nothing matches.
    tokens = {p["token"] for p in parts}
    for member in people:
        for secret in (settings.secret_key, settings.data_key):
            for purpose in ("participation", "recovery", "invitation", "throttle"):
                assert digest(secret, purpose, f"{member.id}:{consultation['id']}") not in tokens
    # The member's key is only sealed: under their passphrase record's key, their codes', their cookie's.
    for row in dump["member"]:
        assert row["vault"] is None or not any(row["vault"] in str(v) for v in tokens)
    # 2. Time: nothing tied to a participation is finer than the day, and every day is the same here.
    for table in ("consultation_participation", "consultation_answer", "consultation_shared_answer"):
        for row in dump[table]:
            assert not any(isinstance(v, datetime) for v in row.values()), (table, row)
            assert not any(isinstance(v, str) and "T" in v and v[:4].isdigit() and ":" in v for v in row.values())
    assert {p["consented_on"] for p in parts} == {p["consented_on"] for p in parts[:1]}
    # 3. Order: ids are drawn at random, so they do not follow who answered first (8 in order: 1 in 40,320).
    assert len(inserted) == 8 and inserted != sorted(inserted)
    answer_ids = sorted(a["id"] for a in dump["consultation_answer"])
    assert answer_ids != list(range(answer_ids[0], answer_ids[0] + len(answer_ids)))
    # 4. Attributes: none beside a participation; the shared copies point at no participation.
    for row in dump["consultation_shared_answer"]:
        assert "participation_id" not in row
    # So matching every participation against every member, field by field, leaves everyone possible.
    for row in parts:
        candidates = [m for m in dump["member"] if m["pseudonym"].startswith("Quiet Voice") and all(
            m[name] == value for name, value in row.items() if name in m and name != "id")]
        assert len(candidates) == len(people), row


async def test_the_member_reaches_their_answers_across_sign_in_passphrase_change_and_recovery(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    cid = consultation["id"]
    member = await make_member(app)
    async with signed_in(app, member) as http:
        await _answer(http, consultation, single=1)
    # A new sign-in opens the key again: the member finds their answers, changes and keeps them.
    async with signed_in(app, member) as http:
        assert (await http.get(f"/api/v1/consultations/{cid}")).json()["consultation"]["me"]["submitted"] is True
        assert [c["id"] for c in (await http.get("/api/v1/consultations")).json()["taken_part"]] == [cid]
        export = (await http.get("/api/v1/me/export")).json()
        assert export["consultation_answers"][0]["consultation"] == cid
        new = "a brand new long passphrase"
        assert (await http.put("/api/v1/me/passphrase", json={"current_passphrase": PASSPHRASE,
                                                              "new_passphrase": new})).status_code == 200
    async with signed_in(app, member, passphrase=new) as http:
        assert (await http.get(f"/api/v1/consultations/{cid}")).json()["consultation"]["me"]["submitted"] is True
    async with new_client(app) as http:
        recovered = await http.post("/api/v1/auth/recover", json={"pseudonym": member.pseudonym,
                                                                 "recovery_code": member.recovery_codes_plain[0],
                                                                 "new_passphrase": "recovered long passphrase"})
        assert recovered.status_code == 200
    async with signed_in(app, member, passphrase="recovered long passphrase") as http:
        detail = (await http.get(f"/api/v1/consultations/{cid}")).json()["consultation"]
        assert detail["me"]["submitted"] is True
        await http.put(f"/api/v1/consultations/{cid}/answers",
                       json={"answers": [{"question_id": consultation["questions"][0]["id"], "option": 2}]})
        assert (await http.delete(f"/api/v1/consultations/{cid}/answers")).status_code == 200
    assert await Participation.all().count() == 0 and await Answer.all().count() == 0
    assert await SharedAnswer.all().count() == 0  # the breakdown copies went too


async def test_a_decoy_reaches_nothing_of_the_real_members_answers(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    member = await make_member(app)
    async with signed_in(app, member) as http:
        await _answer(http, consultation)
        assert (await http.put("/api/v1/me/duress", json={"current_passphrase": PASSPHRASE, "passphrase": DURESS,
                                                          "action": "none"})).status_code == 200
    async with new_client(app) as http:
        http.headers["x-csrf-token"] = await api_login(http, member.pseudonym, DURESS)
        listed = await http.get("/api/v1/consultations")
        assert listed.status_code == 200 and listed.json()["taken_part"] == []  # not the real member's
        # It may take part as a new member would, under a key of its own: its answers are undone
        # (network.core.sandbox), so nothing it says is counted, and it never reaches the real answers.
        before = await Participation.filter(submitted=True).count()
        assert (await http.post(f"/api/v1/consultations/{consultation['id']}/consent", json={})).status_code == 200
        assert (await http.get(f"/api/v1/consultations/{consultation['id']}")).json()["consultation"]["me"][
            "submitted"] is False
        assert await Participation.filter(submitted=True).count() == before
        export = (await http.get("/api/v1/me/export")).json()
        assert export["consultation_answers"] == []


async def test_answers_from_before_keys_move_at_sign_in_and_can_then_be_retired(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    cid = consultation["id"]
    returning, gone = await make_member(app), await make_member(app)
    settings = app.state.settings
    legacy = PasswordHasher(memory_cost=1024, time_cost=1)
    for member in (returning, gone):
        # As the first wave stored them: a plain Argon2id hash, no key, a token the server computes.
        await Member.filter(id=member.id).update(passphrase_hash=legacy.hash(PASSPHRASE), vault=None, vault_version=0)
        await RecoveryCode.filter(member_id=member.id).update(record=None, vault=None)
        token = digest(settings.secret_key, "participation", f"{member.id}:{cid}")
        await Participation.create(id=participation.random_id(), consultation_id=cid, token=token, consent_version=1,
                                   consented_on=date.today(), submitted=True, submitted_on=date.today())
    # As after an upgrade, these rows were there when the process started: sign-ins look for them.
    app.state.runtime.settled.discard("older tokens")
    async with signed_in(app, returning) as http:
        assert (await http.get(f"/api/v1/consultations/{cid}")).json()["consultation"]["me"]["consented"] is True
    refreshed = await Member.get(id=returning.id)
    assert refreshed.passphrase_hash.startswith("$survnet-kdf$") and refreshed.vault and refreshed.vault_version == 1
    assert await participation.retire_server_tokens(app.state.runtime) == 1  # the one who never came back
    assert not await Participation.filter(token=digest(settings.secret_key, "participation", f"{gone.id}:{cid}")).exists()
    assert await Participation.filter(consultation_id=cid).count() == 2  # still counted
    async with signed_in(app, gone) as http:
        assert (await http.get(f"/api/v1/consultations/{cid}")).json()["consultation"]["me"]["consented"] is False


async def test_a_key_that_cannot_be_opened_is_made_anew_and_the_member_told(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    member = await make_member(app)
    async with signed_in(app, member) as http:
        await _answer(http, consultation)
    await Member.filter(id=member.id).update(vault="AAAA" + "A" * 60)  # damaged beyond opening
    async with signed_in(app, member) as http:
        page = await http.get("/consultations")
        assert "could not be opened" in page.text
        assert (await http.get(f"/api/v1/consultations/{consultation['id']}")).json()["consultation"]["me"]["consented"] \
            is False
        assert "could not be opened" not in (await http.get("/consultations")).text  # told once
    assert await Participation.all().count() == 1  # still counted


async def test_consent_to_a_changed_text_is_asked_again_before_anything_is_saved(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    cid = consultation["id"]
    member = await make_member(app)
    async with signed_in(app, member) as http:
        await _answer(http, consultation)
    changed = dict(DRAFT, consent_text={"en": "We now also share anonymous figures with the ministry."})
    async with signed_in(app, owner) as http:
        assert (await http.put(f"/api/v1/consultations/{cid}", json=changed)).status_code == 200
        # k cannot change once anyone has taken part.
        locked = await http.put(f"/api/v1/consultations/{cid}", json=dict(changed, k=9))
        assert locked.status_code == 409 and locked.json()["error"]["code"] == "k_locked"
    async with signed_in(app, member) as http:
        refused = await http.put(f"/api/v1/consultations/{cid}/answers",
                                 json={"answers": [{"question_id": consultation["questions"][0]["id"], "option": 1}]})
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "consent_changed"
        page = await http.get(f"/consultations/{cid}")
        assert "The consent text has changed" in page.text and "ministry" in page.text
        assert "<del>Your answers are used only" in page.text  # what they agreed to, struck through
        answer_page = await http.get(f"/consultations/{cid}/answer")
        assert answer_page.status_code == 303
        await http.post(f"/api/v1/consultations/{cid}/consent", json={})
        again = await http.put(f"/api/v1/consultations/{cid}/answers",
                               json={"answers": [{"question_id": consultation["questions"][0]["id"], "option": 1}]})
        assert again.status_code == 200


async def test_proposing_supporting_and_following_leave_no_time_to_match(app, caplog, monkeypatch):
    """Like an answer, what is kept under a member's key after an outcome (a proposal, a support, a
    follow) writes no log line and touches no session: nothing to match its day and row with."""
    from tests.test_commitments import _close_and_publish

    monkeypatch.setattr(sessions, "TOUCH_EVERY", sessions.TOUCH_EVERY * 0)
    owner, moderator, member = await make_member(app, "policymaker"), await make_member(app, "moderator"), \
        await make_member(app)
    consultation = await _create(app, owner)
    await _close_and_publish(app, owner, consultation)
    cid = consultation["id"]
    async with signed_in(app, member) as http:
        first = (await http.post("/api/v1/proposals", json={"kind": "topic", "text": "One"})).json()["proposal"]["id"]
    async with signed_in(app, moderator) as http:
        await http.post(f"/api/v1/proposals/{first}/review", json={"decision": "release"})
    async with signed_in(app, member) as http:
        before = {s.id: s.last_seen_at for s in await Session.filter(member_id=member.id)}
        with caplog.at_level(logging.INFO, logger="survnet.access"):
            caplog.clear()
            calls = [await http.post("/api/v1/proposals", json={"kind": "question", "text": "Two"}),
                     await http.post("/proposals", data={"csrf_token": http.csrf, "kind": "topic", "text": "Three"}),
                     await http.put(f"/api/v1/proposals/{first}/support", json={"support": False}),
                     await http.post(f"/proposals/{first}/support", data={"csrf_token": http.csrf}),
                     await http.put(f"/api/v1/consultations/{cid}/follow", json={"follow": True}),
                     await http.post(f"/consultations/{cid}/follow", data={"csrf_token": http.csrf, "follow": "no"})]
            lines = [r.getMessage() for r in caplog.records if "/proposals" in r.getMessage()
                     or "/follow" in r.getMessage()]
        after = {s.id: s.last_seen_at for s in await Session.filter(member_id=member.id)}
    assert [c.status_code for c in calls] == [201, 303, 200, 303, 200, 303]
    assert lines == [] and before == after
