"""A text longer than its field takes is refused beside the field, in the writer's language, and
nothing is stored: never kept shortened as if it were what was written. Sent from the pages, where
a hand-made request can go past the inputs' maxlength."""

from messaging.models import Room
from moderation.models import Report
from network.stipends.models import Fund, Stipend
from tests.helpers import make_member, signed_in

FUND = {"name": "Participation fund", "currency": "KES", "receipt_threshold": "5000",
        "two_approver_threshold": "10000", "cap_travel": "", "cap_data": "1500", "cap_time_off": ""}


async def test_texts_past_their_limit_are_refused_and_nothing_is_kept(app):
    moderator, admin = await make_member(app, "moderator"), await make_member(app, "admin")
    member = await make_member(app)
    async with signed_in(app, moderator) as http:
        refused = await http.post("/rooms/new", data={"csrf_token": http.csrf, "name": "Evening circle",
                                                      "description": "d" * 501, "kind": "open"})
        assert refused.status_code == 422 and "500" in refused.text
        assert not await Room.filter(name="Evening circle").exists()
        room = (await http.post("/api/v1/rooms", json={"name": "Welcome"})).json()["room"]
        posted = await http.post(f"/api/v1/rooms/{room['id']}/messages", json={"body": "Hello all"})
        message = posted.json()["message"]
    async with signed_in(app, admin) as http:
        refused = await http.post("/admin/funds", data={"csrf_token": http.csrf, **FUND, "donor_label": "l" * 101})
        assert refused.status_code == 422 and "100" in refused.text
        assert not await Fund.exists()
        fund = (await http.post("/api/v1/funds", json={k: v for k, v in FUND.items() if not k.startswith("cap_")}))
        assert fund.status_code == 201, fund.text
    member.locale = "fr"
    await member.save(update_fields=["locale"])
    async with signed_in(app, member) as http:
        await http.post(f"/api/v1/rooms/{room['id']}/join")
        refused = await http.post("/reports", data={
            "csrf_token": http.csrf, "target": "message", "id": str(message["id"]), "reason": "other",
            "note": "n" * 1001, "next": f"/rooms/{room['id']}"})
        assert refused.status_code == 422 and "dépasse la longueur autorisée" in refused.text
        assert not await Report.exists()
        refused = await http.post("/stipends", data={
            "csrf_token": http.csrf, "fund_id": str(fund.json()["fund"]["id"]), "kind": "data", "amount": "100",
            "purpose": "Data to take part", "payout_method": "mobile_money", "payout_details": "M-Pesa",
            "link": "https://example.org/" + "p" * 200})
        assert refused.status_code == 422 and "dépasse la longueur autorisée" in refused.text
        assert not await Stipend.exists()
