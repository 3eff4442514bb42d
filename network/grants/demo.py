"""Demo content: the demo member's organisation holds a small grant, approved, with mentoring on
safeguarding and its first session, and waits on a cluster of three small projects."""

from __future__ import annotations

from datetime import date, timedelta

from network.grants import service
from network.grants.models import Grant
from network.organisations.models import Organisation
from network.stipends import service as stipends
from network.stipends.models import Fund


async def seed(rt, accounts: dict, only_if_empty: bool = False) -> None:
    organisation = await Organisation.filter(representatives__member_id=accounts["member"].id).first()
    fund = await Fund.first()
    if await Grant.exists() or organisation is None or fund is None:
        return
    member, admin, mentor = accounts["member"], accounts["admin"], accounts["moderator"]
    today = date.today()
    grant = await service.apply(member, organisation.id, {
        "fund_id": fund.id, "title": "Cercles d'écoute entre pairs", "for_whom": "Une quarantaine de survivantes "
        "de deux quartiers de Goma", "amount": "15000", "starts_on": today, "ends_on": today + timedelta(days=120),
        "payout_method": "mobile_money", "payout_details": "Compte du groupe (demo)"})
    await stipends.decide(admin, grant.stipend.id, "approve", "Bienvenue dans le fonds.")
    await service.apply(member, organisation.id, {
        "fund_id": fund.id, "title": "Trois groupes d'épargne", "for_whom": "Les membres des trois groupes",
        "cluster": True, "starts_on": today, "ends_on": today + timedelta(days=180),
        "payout_method": "bank", "payout_details": "Banque du groupe (demo)",
        "projects": [{"name": name, "what": "Une caisse commune et une formation", "amount": "5000"}
                     for name in ("Mugunga", "Ndosho", "Katindo")]})
    mentoring = await service.ask_mentoring(member, organisation.id, {
        "topic": "safeguarding", "grant_id": grant.id, "note": "Nous écrivons notre première politique de protection."})
    await service.match(admin, mentoring.id, mentor.pseudonym)
    await service.add_session(mentor, mentoring.id, {
        "held_on": today, "notes": "Premier brouillon relu ensemble : qui reçoit une alerte, et en combien de temps."})
