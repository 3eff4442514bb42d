"""Role rules an attacker found holes in, and look-alike pseudonyms (issue 16): who may vouch, the
monthly vouch limit held by the database through races, nobody moderating what is about
themselves, a report answer that tells nothing of its target, and look-alike sequences folded."""

from __future__ import annotations

import asyncio
import importlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from tortoise import Tortoise

from moderation.models import Appeal, Report, Sanction
from network.core import crypto, db
from network.core.refusal import Refused
from network.members import invitations, pseudonyms
from network.members.models import Invitation, Member
from tests.conftest import both_databases
from tests.helpers import PASSPHRASE, make_member, new_client, signed_in
from tests.test_upgrade import _insert

# Vouching ----------------------------------------------------------------------------------------


async def test_a_policymaker_cannot_vouch_while_members_and_moderators_can(app):
    policymaker = await make_member(app, "policymaker")
    async with signed_in(app, policymaker) as http:
        refused = await http.post("/api/v1/invitations", json={"role": "member", "uses": 1, "days": 7})
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
        page = await http.get("/invitations")  # what they made stays theirs to see: no form to make more
        assert page.status_code == 200 and 'action="/invitations"' not in page.text
        form = await http.post("/invitations", data={"csrf_token": http.csrf, "role": "member", "uses": "1",
                                                    "days": "7"})
        assert form.status_code == 403
    with pytest.raises(Refused) as refusal:  # the service asks the same access table
        await invitations.create(app.state.runtime, policymaker)
    assert refusal.value.kind == "forbidden"
    assert await Invitation.filter(created_by=policymaker).count() == 0

    for role in ("member", "moderator"):
        voucher = await make_member(app, role)
        async with signed_in(app, voucher) as http:
            made = await http.post("/api/v1/invitations", json={"role": "member", "uses": 1, "days": 7})
            assert made.status_code == 201, (role, made.text)
            page = await http.get("/invitations")
            assert 'action="/invitations"' in page.text
            form = await http.post("/invitations", data={"csrf_token": http.csrf, "role": "member", "uses": "1",
                                                        "days": "7"})
            assert form.status_code == 201, role
        assert await Invitation.filter(created_by=voucher).count() == 2


@both_databases
async def test_twenty_racing_vouches_against_a_limit_of_two_make_exactly_two(app, database_url):
    assert app.state.runtime.settings.vouch_per_month == 2
    member = await make_member(app)
    async with signed_in(app, member) as http:
        answers = await asyncio.gather(*(
            http.post("/api/v1/invitations", json={"role": "member", "uses": 1, "days": 7}) for _ in range(20)))
        codes = sorted(a.status_code for a in answers)
        assert codes == [201] * 2 + [409] * 18, codes
        assert {a.json()["error"]["code"] for a in answers if a.status_code == 409} == {"vouch_limit"}
        # Revoking one does not give it back: it was made this month.
        first = next(a.json()["invitation"]["id"] for a in answers if a.status_code == 201)
        assert (await http.delete(f"/api/v1/invitations/{first}")).status_code == 200
        again = await http.post("/api/v1/invitations", json={"role": "member", "uses": 1, "days": 7})
        assert again.status_code == 409
    rows = await Invitation.filter(created_by=member).order_by("vouch_slot")
    assert [r.vouch_slot for r in rows] == [1, 2]
    assert await invitations.vouches_left(app.state.runtime, member) == 0
    # Administrators are not held to the slots.
    admin = await make_member(app, "admin")
    for _ in range(3):
        await invitations.create(app.state.runtime, admin, role="moderator")
    assert await Invitation.filter(created_by=admin, vouch_slot=None).count() == 3


# Nobody moderates what is about themselves -------------------------------------------------------


async def test_a_moderator_cannot_decide_their_own_appeal_nor_lift_their_own_sanction(app):
    admin = await make_member(app, "admin")
    muted, other = await make_member(app, "moderator"), await make_member(app, "moderator")
    async with signed_in(app, admin) as http:
        assert (await http.post("/api/v1/moderation/actions", json={
            "action": "mute", "member_id": muted.id, "reason": "Shared a member's town."})).status_code == 200
    sanction = await Sanction.get(member_id=muted.id)
    async with signed_in(app, muted) as http:
        appeal = await http.post("/api/v1/appeals", json={"sanction_id": sanction.id, "text": "It was public."})
        assert appeal.status_code == 201
        appeal_id = appeal.json()["appeal"]["id"]
        act = lambda **body: http.post("/api/v1/moderation/actions", json={"reason": "I say so", **body})
        for body in ({"action": "overturn", "appeal_id": appeal_id}, {"action": "uphold", "appeal_id": appeal_id},
                     {"action": "lift", "sanction_id": sanction.id},
                     {"action": "escalate", "kind": "appeal", "item_id": appeal_id},
                     {"action": "warn", "member_id": muted.id}):
            refused = await act(**body)
            assert refused.status_code == 403, body
            error = refused.json()["error"]
            assert error["code"] == "about_self" and "yourself" in error["message"], body
        page = await http.get("/moderation")
        form = await http.post("/moderation/actions", data={"csrf_token": http.csrf, "action": "lift",
                                                            "sanction_id": str(sanction.id), "reason": "I say so"})
        assert page.status_code == 200 and form.status_code == 403
    assert (await Sanction.get(id=sanction.id)).lifted_at is None
    assert (await Appeal.get(id=appeal_id)).status == "open"

    async with signed_in(app, other) as http:
        decided = await http.post("/api/v1/moderation/actions", json={
            "action": "overturn", "appeal_id": appeal_id, "reason": "The town was already public."})
        assert decided.status_code == 200
    assert (await Appeal.get(id=appeal_id)).status == "overturned"
    assert (await Sanction.get(id=sanction.id)).lifted_at is not None


async def test_a_moderator_cannot_dismiss_a_report_about_themselves(app):
    moderator, reporter = await make_member(app, "moderator"), await make_member(app)
    other = await make_member(app, "moderator")
    async with signed_in(app, reporter) as http:
        await http.post("/api/v1/reports", json={"target": "member", "id": moderator.id, "reason": "infiltrator"})
    report = await Report.get(member_id=moderator.id)
    async with signed_in(app, moderator) as http:
        refused = await http.post("/api/v1/moderation/actions", json={
            "action": "dismiss", "report_id": report.id, "reason": "nothing in it"})
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "about_self"
    async with signed_in(app, other) as http:
        assert (await http.post("/api/v1/moderation/actions", json={
            "action": "dismiss", "report_id": report.id, "reason": "nothing in it"})).status_code == 200


# Reports tell nothing of their target -------------------------------------------------------------


async def _unused_member_id() -> int:
    taken = set(await Member.all().values_list("id", flat=True))
    return next(n for n in range(999_999, 0, -1) if n not in taken)


async def test_a_report_answers_the_same_whatever_its_target(app):
    reporter = await make_member(app)
    visible, hidden = await make_member(app), await make_member(app)
    await Member.filter(id=hidden.id).update(status="hidden")
    moderator = await make_member(app, "moderator")
    author = await make_member(app)
    async with signed_in(app, moderator) as http:
        shared = (await http.post("/api/v1/rooms", json={"name": "Shared room"})).json()["room"]
        closed = (await http.post("/api/v1/rooms", json={"name": "Closed room"})).json()["room"]
    async with signed_in(app, author) as http:
        for room in (shared, closed):
            await http.post(f"/api/v1/rooms/{room['id']}/join")
        seen = (await http.post(f"/api/v1/rooms/{shared['id']}/messages", json={"body": "hello"})).json()["message"]
        unseen = (await http.post(f"/api/v1/rooms/{closed['id']}/messages", json={"body": "hi"})).json()["message"]
    async with signed_in(app, reporter) as http:
        await http.post(f"/api/v1/rooms/{shared['id']}/join")
        nobody = await _unused_member_id()
        answers = {}
        for name, target, target_id in (
                ("visible", "member", visible.id), ("hidden", "member", hidden.id), ("nobody", "member", nobody),
                ("myself", "member", reporter.id), ("seen", "message", seen["id"]),
                ("unseen", "message", unseen["id"]), ("no message", "message", 999_999),
                ("text", "text", 424_242)):
            response = await http.post("/api/v1/reports", json={"target": target, "id": target_id,
                                                                "reason": "harassment"})
            answers[name] = (response.status_code, response.content)
        assert set(answers.values()) == {(201, b'{"report":{"status":"received"}}')}, answers
        # The page answers alike: the same redirect, whatever the target.
        locations = set()
        for target_id in (visible.id, hidden.id, nobody):
            response = await http.post("/reports", data={"csrf_token": http.csrf, "target": "member",
                                                          "id": str(target_id), "reason": "spam", "next": "/members"})
            assert response.status_code == 303
            locations.add(response.headers["location"])
        assert locations == {"/members?reported=1"}
        # Refusals come from what was sent, never from the target.
        for target_id in (visible.id, nobody):
            bad = await http.post("/api/v1/reports", json={"target": "member", "id": target_id, "reason": "other"})
            assert (bad.status_code, bad.json()["error"]["code"]) == (422, "note_required")
    kept = await Report.filter(reporter_id=reporter.id).values_list("target", "member_id", "message_id", "text_id")
    assert sorted(kept, key=str) == sorted([
        ("member", visible.id, None, None), ("member", hidden.id, None, None), ("message", author.id, seen["id"], None),
        ("text", None, None, 424_242), ("member", visible.id, None, None), ("member", hidden.id, None, None),
    ], key=str)


# Look-alike pseudonyms ---------------------------------------------------------------------------


async def _register(app, pseudonym: str):
    _, code = await invitations.create(app.state.runtime, None)
    async with new_client(app) as http:
        return await http.post("/api/v1/auth/register", json={"invite_code": code, "pseudonym": pseudonym,
                                                               "passphrase": PASSPHRASE})


@pytest.mark.parametrize("attempt", ["Dem0 Member", "Derno Member", "Demo Mernber", "DEM0 MERNBER", "Dem0_Mernber"])
async def test_look_alike_sequences_are_refused(app, attempt):
    await make_member(app, pseudonym="Demo Member")
    response = await _register(app, attempt)
    assert response.status_code == 409, response.text
    assert response.json()["error"]["code"] == "pseudonym_taken"
    assert await Member.all().count() == 1


@pytest.mark.parametrize("taken,attempt", [
    ("علي", "علی"),            # Arabic yeh and Persian yeh
    ("كريم", "کریم"),          # Arabic kaf and keheh, and the yehs
    ("Poca", "Роса"),          # Latin, and the same look in Cyrillic letters only
    ("Vvera Lin", "Wera Lin"),
    ("Claudia", "Daudia"),
])
async def test_look_alikes_of_every_script_are_refused(app, taken, attempt):
    await make_member(app, pseudonym=taken)
    response = await _register(app, attempt)
    assert response.status_code in (409, 422), response.text
    assert response.json()["error"]["code"] in ("pseudonym_taken", "invalid_pseudonym")


def test_skeletons_fold_look_alikes_in_every_script():
    same = [
        ("Demo Member", "Dem0 Member"), ("Demo Member", "Derno Member"), ("Demo Member", "Demo Mernber"),
        ("Demo Member", "Dern0 Mernber"), ("William", "WiIIiam"), ("Wanjiru", "Vvanjiru"), ("Lola", "1o1a"),
        ("Daud", "Claud"), ("Maria", "Мaria"), ("Poca", "Роса"), ("Ace", "Асе"),  # Cyrillic, mixed and whole
        ("Bly", "Ыy"), ("علي", "علی"), ("على", "علی"), ("كريم", "کریم"), ("مريم ٢", "مريم ۲"),
        ("حسن ٤٥", "حسن ۴۵"), ("Aerin", "Ærin"),
    ]
    for a, b in same:
        assert pseudonyms.skeleton(a) == pseudonyms.skeleton(b), (a, b)
    # Folding is settled: a skeleton folds to itself, and every order of look-alikes meets.
    for a, _ in same:
        assert pseudonyms._fold(pseudonyms.skeleton(a)) == pseudonyms.skeleton(a)
    different = [("Demo Member", "Demi Member"), ("Amina", "Amira"), ("Anna", "Ama"), ("Maria", "Marie"),
                 ("Olena", "Olena K"), ("فاطمه", "فاطمة"), ("سارا", "شارا"), ("Mira", "Nira"),
                 ("Оксана", "Олеся"), ("Wanjiru", "Wanjira")]
    for a, b in different:
        assert pseudonyms.skeleton(a) != pseudonyms.skeleton(b), (a, b)


async def test_genuinely_different_names_still_pass(app):
    await make_member(app, pseudonym="Demo Member")
    for name in ("Demi Member", "Demo Members", "Amira", "Anna", "Ama", "علي حسن", "Олена"):
        response = await _register(app, name)
        assert response.status_code == 201, (name, response.text)


# The migration: slots for vouches already made, skeletons by today's rule ---------------------------


def _slots_migration():
    path = next((Path(db.__file__).parents[1] / "migrations").glob("*_invitation_slots.py"))
    return path.stem, importlib.import_module(f"network.migrations.{path.stem}").Migration


@both_databases
async def test_the_migration_numbers_old_vouches_and_refolds_skeletons(database_url):
    name, migration = _slots_migration()
    crypto.configure("lookalike-test-key-" + "0" * 24)
    await db.migrate(database_url, upto={"network": migration.dependencies[0][1]})
    now = datetime.now(timezone.utc)
    await Tortoise.init(config=db.tortoise_config(database_url))
    try:
        members = [(11, "Demo Member", "demomember"), (12, "Derno Member", "dernomember"),
                   (13, "Dem0 Member", "dem0member"), (14, "Quiet Lake", "quietlake")]
        for n, (member_id, pseudonym, old) in enumerate(members):
            await _insert("member", id=member_id, pseudonym=pseudonym, pseudonym_key=pseudonym.casefold(),
                          skeleton=old, role="member", status="active", bio="",
                          created_at=now - timedelta(days=100 - n))
        await _insert("member", id=15, pseudonym="", pseudonym_key="~decoy~abc", skeleton="~decoy~abc",
                      role="decoy", status="decoy", bio="", created_at=now)
        await _insert("member", id=16, pseudonym="Old Admin", pseudonym_key="old admin", skeleton="oldadmin",
                      role="admin", status="active", bio="", created_at=now)
        made = [(1, 11, now - timedelta(seconds=30)), (2, 11, now - timedelta(seconds=20)),
                (3, 11, now - timedelta(seconds=10)), (4, 11, now - timedelta(days=400)),
                (5, 12, now - timedelta(seconds=5)), (6, 16, now), (7, 16, now), (8, None, now)]
        for invitation_id, creator, at in made:
            await _insert("invitation", id=invitation_id, code_hash=f"hash{invitation_id}", role="member",
                          max_uses=1, uses=0, expires_at=now + timedelta(days=7), created_by_id=creator,
                          created_at=at)
    finally:
        await Tortoise.close_connections()

    await db.migrate(database_url)

    await Tortoise.init(config=db.tortoise_config(database_url))
    try:
        month = invitations.period(now)
        slots = {i.id: (i.vouch_period, i.vouch_slot) for i in await Invitation.all()}
        assert (slots[1], slots[2], slots[3]) == ((month, 1), (month, 2), (month, 3))  # more than today's limit
        assert slots[4][1] == 1 and slots[4][0] < month and slots[5] == (month, 1)
        assert slots[6] == slots[7] == slots[8] == (None, None)
        skeletons = dict(await Member.all().values_list("id", "skeleton"))
        # The first of the look-alikes takes the new skeleton; the later ones stay, told apart.
        assert skeletons[11] == pseudonyms.skeleton("Demo Member")
        assert skeletons[12] == "dernomember"
        assert skeletons[13] == "~kept~13"  # its old skeleton is now the first one's
        assert skeletons[14] == pseudonyms.skeleton("Quiet Lake")
        assert skeletons[15] == "~decoy~abc"
    finally:
        await Tortoise.close_connections()
    assert name.endswith("_invitation_slots")
