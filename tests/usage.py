"""A member who has used every part of the product, and every string they typed: what erasure must
leave no trace of, and what their export must hold."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import date, timedelta

from moderation.models import Report
from network.core import crypto
from network.core.personal import models
from tests.helpers import PASSPHRASE, api_login, make_member, new_client, signed_in
from tests.test_consultations import DRAFT, _answers

DURESS = "an entirely different passphrase"
PSEUDONYM = "Amani Kivu Nine"


@dataclass
class Usage:
    member: object
    other: object
    moderator: object
    admin: object
    consultation: dict
    room: dict
    typed: list[str] = field(default_factory=list)
    stipends: dict[str, int] = field(default_factory=dict)
    sanction_id: int = 0
    report_ids: list[int] = field(default_factory=list)


async def _ok(response, status=(200, 201)):
    assert response.status_code in status, response.text
    return response.json()


async def use_everything(app, duress_action: str = "none") -> Usage:
    admin, moderator = await make_member(app, "admin"), await make_member(app, "moderator")
    policymaker, other = await make_member(app, "policymaker"), await make_member(app, pseudonym="Someone Staying")
    second_admin = await make_member(app, "admin")
    member = await make_member(app, pseudonym=PSEUDONYM)
    typed = [PSEUDONYM, PSEUDONYM.casefold(), "I grew up beside the lake Q7", "bus from Bukavu to Goma P1",
             "the first thing I said M1", "content warning typed C1", "second thoughts edited E1",
             "a reply of mine R1", "my neighbour in Bukavu knows me N1", "I was only quoting A1",
             "M-Pesa +243 999 000 111", "https://meeting.example/L1", "free text typed T1",
             "comment typed K1", "REF-PAID-7Q", "data for the meeting P2", "travel to Uvira P3", "time off P4",
             "data again P5", "what happened to us by the river L2", "my own story of the camp L3",
             "the night guard there is my cousin L4", "ask for my aunt Mwajuma L5",
             "a consultation on the clinics of Fizi G1"]

    # Profile, and sessions on two devices.
    async with signed_in(app, member) as http:
        await _ok(await http.patch("/api/v1/me", json={"bio": typed[2], "visibility": "members", "region": "CD",
                                                      "age_band": "25-34", "languages": ["sw", "fr"],
                                                      "gender": "woman", "displaced": "yes"}))
    async with signed_in(app, member) as http:
        await _ok(await http.put("/api/v1/me/duress", json={"current_passphrase": PASSPHRASE, "passphrase": DURESS,
                                                            "action": duress_action}))

    # A room: messages (held first, then approved), a content warning, an edit, a reply.
    async with signed_in(app, moderator) as http:
        room = await _ok(await http.post("/api/v1/rooms", json={"name": "Evening circle"}))
        room = room["room"]
    async with signed_in(app, other) as http:
        await _ok(await http.post(f"/api/v1/rooms/{room['id']}/join"))
    async with signed_in(app, member) as http:
        await _ok(await http.post(f"/api/v1/rooms/{room['id']}/join"))
        first = (await _ok(await http.post(f"/api/v1/rooms/{room['id']}/messages", json={
            "body": typed[4], "content_warning": typed[5]})))["message"]
    if first["status"] == "held":
        async with signed_in(app, moderator) as http:
            await _ok(await http.post("/api/v1/moderation/actions", json={
                "action": "approve", "message_id": first["id"], "reason": "fine"}))
    async with signed_in(app, other) as http:
        theirs = (await _ok(await http.post(f"/api/v1/rooms/{room['id']}/messages", json={
            "body": "words of someone staying", "reply_to": first["id"]})))["message"]
    async with signed_in(app, member) as http:
        await _ok(await http.patch(f"/api/v1/messages/{first['id']}", json={"body": typed[6]}))
        await _ok(await http.post(f"/api/v1/rooms/{room['id']}/messages", json={"body": typed[7],
                                                                              "reply_to": theirs["id"]}))
        await _ok(await http.post("/api/v1/reports", json={
            "target": "message", "id": theirs["id"], "reason": "identity", "note": typed[8]}))
    async with signed_in(app, other) as http:
        await _ok(await http.post("/api/v1/reports", json={
            "target": "member", "id": member.id, "reason": "harassment", "note": "a report about them"}))
    # The answer names no report (it is the same whether one was kept): the rows say which.
    report_ids = [(await Report.get(reporter_id=member.id, message_id=theirs["id"])).id,
                  (await Report.get(reporter_id=other.id, member_id=member.id)).id]

    # A sanction, the member's appeal, a moderator's note about them.
    async with signed_in(app, moderator) as http:
        await _ok(await http.post("/api/v1/moderation/actions", json={
            "action": "mute", "member_id": member.id, "minutes": 60, "reason": "mute reason for Amani"}))
        file = await _ok(await http.get(f"/api/v1/moderation/members/{member.id}"))
        sanction_id = file["sanctions"][0]["id"]
        await _ok(await http.post("/api/v1/moderation/notes", json={"member_id": member.id,
                                                                    "text": "moderator note about Amani"}))
    async with signed_in(app, member) as http:
        await _ok(await http.post("/api/v1/appeals", json={"sanction_id": sanction_id, "text": typed[9]}))

    # Stipends in every status.
    async with signed_in(app, admin) as http:
        fund = (await _ok(await http.post("/api/v1/funds", json={
            "name": "Travel and data", "currency": "KES", "donor_label": "Example Foundation",
            "receipt_threshold": "500", "two_approver_threshold": "0", "small_grant_threshold": "100",
            "caps": {"travel": "800", "data": "50", "time_off": "400"}})))["fund"]
        await _ok(await http.post(f"/api/v1/funds/{fund['id']}/budgets", json={
            "period_start": str(date.today().replace(day=1)), "period_end": str(date.today() + timedelta(days=31)),
            "amount": "1000"}))
    stipends = {}
    async with signed_in(app, member) as http:
        for status, purpose, kind in (("paid", typed[3], "travel"), ("approved", typed[15], "data"),
                                      ("rejected", typed[16], "travel"), ("cancelled", typed[17], "time_off"),
                                      ("pending", typed[18], "data")):
            body = {"fund_id": fund["id"], "kind": kind, "amount": "20", "purpose": purpose,
                    "payout_method": "mobile_money", "payout_details": typed[10]}
            if status == "paid":
                body["link"] = typed[11]
            stipends[status] = (await _ok(await http.post("/api/v1/stipends", json=body)))["stipend"]["id"]
        await _ok(await http.post(f"/api/v1/stipends/{stipends['cancelled']}/cancel"))
    async with signed_in(app, admin) as http:
        for status in ("paid", "approved"):
            await _ok(await http.post(f"/api/v1/stipends/{stipends[status]}/decision",
                                      json={"decision": "approve", "reason": "Welcome."}))
        await _ok(await http.post(f"/api/v1/stipends/{stipends['paid']}/paid", json={"reference": typed[14]}))
        await _ok(await http.post(f"/api/v1/stipends/{stipends['rejected']}/decision",
                                  json={"decision": "reject", "reason": "Not this month."}))
    del second_admin

    # A consultation, every question type, free text and a section comment.
    async with signed_in(app, policymaker) as http:
        consultation = (await _ok(await http.post("/api/v1/consultations", json=DRAFT)))["consultation"]
        await _ok(await http.post(f"/api/v1/consultations/{consultation['id']}/open"))
    async with signed_in(app, member) as http:
        cid = consultation["id"]
        await _ok(await http.post(f"/api/v1/consultations/{cid}/consent", json={"share_profile": True}))
        await _ok(await http.put(f"/api/v1/consultations/{cid}/answers", json={
            "answers": _answers(consultation, 1, [0, 2], 4, [2, 0, 1], text=typed[12], comment=typed[13]),
            "submit": True}))

    # The library: a proposal of their own, a correction to a service and a new one.
    async with signed_in(app, moderator) as http:
        service = (await _ok(await http.post("/api/v1/library/services", json={
            "kind": "legal", "name": "Legal desk", "country": "CD"})))["service"]
    async with signed_in(app, member) as http:
        await _ok(await http.post("/api/v1/library/entries", json={
            "details": {"kind": "story", "audiences": ["survivors"], "topics": ["advocacy"], "regions": ["Bukavu"]},
            "text": {"locale": "fr", "title": typed[19], "body": typed[20]}}))
        await _ok(await http.post(f"/api/v1/library/services/{service['id']}/suggestions", json={"note": typed[21]}))
        await _ok(await http.post("/api/v1/library/suggestions", json={
            "kind": "shelter", "name": "A safe house", "country": "CD", "how_to_reach": typed[22]}))

    # What follows consultations: a proposal of their own, a support of another's, a follow.
    async with signed_in(app, policymaker) as http:
        done = (await _ok(await http.post("/api/v1/consultations", json=DRAFT)))["consultation"]
        for step in ("open", "close"):
            await _ok(await http.post(f"/api/v1/consultations/{done['id']}/{step}"))
        await _ok(await http.post(f"/api/v1/consultations/{done['id']}/outcome", json={
            "heard": {"en": "We heard you."}, "will_do": {"en": "Clinics."}}))
    async with signed_in(app, other) as http:
        theirs = (await _ok(await http.post("/api/v1/proposals", json={"kind": "topic", "text": "Schools"})))
    async with signed_in(app, moderator) as http:
        await _ok(await http.post(f"/api/v1/proposals/{theirs['proposal']['id']}/review", json={"decision": "release"}))
    async with signed_in(app, member) as http:
        await _ok(await http.post("/api/v1/proposals", json={"kind": "question", "text": typed[23]}))
        await _ok(await http.put(f"/api/v1/proposals/{theirs['proposal']['id']}/support", json={"support": True}))
        await _ok(await http.put(f"/api/v1/consultations/{done['id']}/follow", json={"follow": True}))

    # Representing an organisation: a grant applied for and mentoring asked in its name (the
    # organisation's words, which stay with it: none of them is in `typed`).
    from network.organisations import service as organisations

    organisation = await organisations.create({"name": "Kivu women together", "country": "CD"})
    await organisations.add_representative(admin, organisation.id, PSEUDONYM)
    async with signed_in(app, member) as http:
        grant = await _ok(await http.post(f"/api/v1/organisations/{organisation.id}/grants", json={
            "fund_id": fund["id"], "title": "Circles", "for_whom": "Members", "amount": "30",
            "starts_on": str(date.today()), "ends_on": str(date.today()), "payout_method": "bank",
            "payout_details": "The group's account"}))
        await _ok(await http.post(f"/api/v1/organisations/{organisation.id}/mentoring", json={
            "topic": "governance", "grant_id": grant["grant"]["id"]}))

    if duress_action == "none":  # a duress sign-in, which opens a decoy
        async with new_client(app) as forced:
            await api_login(forced, PSEUDONYM, DURESS)
            assert (await forced.get("/api/v1/me")).json()["member"]["pseudonym"] == PSEUDONYM

    return Usage(member=member, other=other, moderator=moderator, admin=admin, consultation=consultation,
                 room=room, typed=typed, stipends=stipends, sanction_id=sanction_id,
                 report_ids=report_ids)


async def erase_by(app, usage: Usage, how: str) -> None:
    """The three ways a member's account is erased: they ask, they wipe in a panic, a coercer's
    sign-in with their duress passphrase set to erase."""
    if how == "erase":
        async with signed_in(app, usage.member) as http:
            await _ok(await http.request("DELETE", "/api/v1/me", json={"passphrase": PASSPHRASE, "messages": "delete"}))
    elif how == "panic":
        async with signed_in(app, usage.member) as http:
            page = await http.get("/safety/wipe")
            from tests.helpers import csrf_from

            response = await http.post("/safety/wipe", data={"csrf_token": csrf_from(page.text)})
            assert response.status_code == 303
    elif how == "duress":
        from network.members.models import Member

        async with new_client(app) as forced:
            await api_login(forced, PSEUDONYM, DURESS)
            for _ in range(600):  # the erasure runs after the response, so it takes no visible time
                if not await Member.filter(id=usage.member.id).exists():
                    break
                await asyncio.sleep(0.05)
    else:
        raise ValueError(how)


async def opened_rows() -> str:
    """Every row of every model as the application reads it, sealed fields opened."""
    rows = []
    for model in models():
        for row in await model.all():
            values = {}
            for name in model._meta.db_fields:
                value = getattr(row, name, None)
                if isinstance(value, crypto.Unavailable):
                    value = "(unavailable)"
                values[name] = value
            rows.append(values)
    return json.dumps(rows, default=str, ensure_ascii=False)
