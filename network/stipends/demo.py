"""Demo content: a fund with this month's budget and a few requests."""

from __future__ import annotations

from datetime import date, timedelta

from network.stipends import service as stipends
from network.stipends.models import Fund


async def seed(rt, accounts: dict, only_if_empty: bool = False) -> None:
    if await Fund.exists():
        return
    admin, member = accounts["admin"], accounts["member"]
    fund = await stipends.create_fund(admin, {
        "name": "Participation fund", "currency": "KES", "donor_label": "Demo donor",
        "receipt_threshold": "5000", "two_approver_threshold": "10000", "small_grant_threshold": "20000",
        "caps": {"travel": "20000", "data": "1500", "time_off": "8000", "honorarium": "10000"}})
    today = date.today()
    await stipends.add_budget(fund.id, today.replace(day=1), today.replace(day=1) + timedelta(days=90), "200000")
    data = await stipends.request(member, {"fund_id": fund.id, "kind": "data", "amount": "1000",
                                           "purpose": "Mobile data to take part in the consultation",
                                           "payout_method": "mobile_money", "payout_details": "M-Pesa (demo)"})
    await stipends.request(member, {"fund_id": fund.id, "kind": "travel", "amount": "4500",
                                    "purpose": "Bus to the regional meeting", "payout_method": "cash_partner",
                                    "payout_details": "Partner office (demo)"})
    # Members write their requests in their own language; this fund pays in Kenya, in Swahili too.
    await stipends.request(member, {"fund_id": fund.id, "kind": "time_off", "amount": "3000",
                                    "purpose": "Siku moja ya kazi niliyoikosa ili kuhudhuria mkutano wa mashauriano",
                                    "payout_method": "mobile_money", "payout_details": "M-Pesa (demo)"})
    # A second administrator would be needed above the threshold; this one is small.
    await stipends.decide(admin, data.id, "approve", "Welcome to the consultation.")
