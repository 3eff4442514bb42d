"""Demo content: a regional consultation meeting in three weeks, with the demo member's place accepted
and its travel stipend offered, and an online training."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from network.meetings import service
from network.meetings.models import Meeting
from network.stipends.models import Fund


async def seed(rt, accounts: dict, only_if_empty: bool = False) -> None:
    if await Meeting.exists():
        return
    organiser, member = accounts["moderator"], accounts["member"]
    fund = await Fund.first()
    day = (datetime.now(timezone.utc) + timedelta(days=21)).date()
    meeting = await service.create(organiser, {
        "kind": "consultation", "title": "Réunion régionale : les réparations", "city": "Goma",
        "address": "Salle paroissiale, derrière le marché (demo)",
        "summary": "Une journée pour dire ce que les réparations doivent inclure, avec interprétation en swahili.",
        "agenda": "9 h : accueil\n10 h : ce que dit le projet\n14 h : vos priorités",
        "starts_at": datetime.combine(day, time(9)).isoformat(), "ends_at": datetime.combine(day, time(16)).isoformat(),
        "time_zone": "Africa/Lubumbashi", "languages": ["fr"], "interpretation": ["sw"], "capacity": 25,
        "fund_id": fund.id if fund else None, "travel": "4500" if fund else "", "time_off": "3000" if fund else ""})
    place = await service.ask(member, meeting.id)
    await service.accept(organiser, place.id)
    soon = day - timedelta(days=10)
    await service.create(organiser, {
        "kind": "training", "title": "Safe use of your phone", "online": True,
        "address": "The link is sent in the room (demo)", "starts_at": datetime.combine(soon, time(15)).isoformat(),
        "ends_at": datetime.combine(soon, time(16, 30)).isoformat(), "time_zone": "Africa/Nairobi",
        "languages": ["en", "sw"], "capacity": 40})
