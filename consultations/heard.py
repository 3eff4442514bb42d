"""Who we heard from: participation across the network, by language, region, age band and the
dimensions members chose to be counted under, per consultation and over time, beside the
membership, with the groups heard less than their share of the membership. No HTTP.

Nothing here is counted from answers: every participation figure is read from the consultations'
final releases (consultations.releases), which network.core.disclosure protected when they were
made, and the dashboard adds only sums of numbers those releases publish. The membership is
counted once a month into a Snapshot, protected by the same egress (small groups, and whatever
the total would give away, hidden), so a figure cannot be watched moving as one person joins.
"""

from __future__ import annotations

from datetime import datetime, timezone

from tortoise.exceptions import IntegrityError

from consultations.models import Release, Snapshot
from consultations.results import BREAKDOWNS
from network.core.disclosure import Table, protect, shown
from network.members.models import DIMENSIONS, Member
from network.members.profiles import counted_as

K = 5  # the smallest membership group shown, as the consultations' default
UNDER = 0.8  # heard at less than this share of the group's share of the membership
UNSAID = "unsaid"


def _month() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m")


def _member_values(member: Member) -> dict[str, str]:
    counted = counted_as(member)
    return {"language": (member.languages or [UNSAID])[0], "region": member.region or UNSAID,
            "age_band": member.age_band or UNSAID, **{name: counted[name] for name in DIMENSIONS}}


async def _count_members() -> dict:
    """The membership by each attribute, protected together: the total and every group of at least K."""
    table = Table(values={"members": 0}, counts={"members"}, fixed=set())
    counts: dict = {}
    total = 0
    for member in await Member.filter(status="active", role="member"):
        total += 1
        for attribute, value in _member_values(member).items():
            counts[(attribute, value)] = counts.get((attribute, value), 0) + 1
    table.values["members"] = total
    for attribute in BREAKDOWNS:
        keys = [key for key in counts if key[0] == attribute]
        for key in keys:
            table.values[key] = counts[key]
            table.counts.add(key)
            table.upper[key] = total
        table.sums.append((keys, "members"))
    if total < K:
        return {"k": K, "members": None, "groups": {}}
    values = shown(table, protect(table, K))
    groups: dict = {}
    for key, value in values.items():
        if isinstance(key, tuple):
            groups.setdefault(key[0], {})[key[1]] = value
    return {"k": K, "members": values["members"], "groups": groups}


async def membership() -> dict:
    """This month's snapshot of the membership, made on first use in the month."""
    month = _month()
    snapshot = await Snapshot.get_or_none(month=month)
    if snapshot is None:
        figures = await _count_members()
        try:
            snapshot = await Snapshot.create(month=month, figures=figures)
        except IntegrityError:  # another request made it first
            snapshot = await Snapshot.get(month=month)
    return snapshot.figures


async def figures() -> dict:
    """The dashboard: per consultation (from its final release), per month, network-wide, membership."""
    consultations, months = [], {}
    heard: dict[str, dict[str, int]] = {attribute: {} for attribute in BREAKDOWNS}
    respondents = 0
    for release in await Release.filter(final=True).select_related("consultation").order_by("released_on", "id"):
        released = release.figures
        people = released.get("respondents")
        groups = {attribute: dict(zip(data["groups"], data["sizes"]))
                  for attribute, data in released.get("breakdowns", {}).items()}
        consultations.append({"id": release.consultation_id, "consultation": release.consultation,
                              "released_on": release.released_on, "respondents": people, "groups": groups})
        month = release.released_on.strftime("%Y-%m")
        entry = months.setdefault(month, {"month": month, "consultations": 0, "respondents": 0})
        entry["consultations"] += 1
        if people is not None:
            entry["respondents"] += people
            respondents += people
            for attribute, sizes in groups.items():
                for value, size in sizes.items():
                    heard[attribute][value] = heard[attribute].get(value, 0) + size
    members = await membership()
    return {"consultations": consultations, "months": sorted(months.values(), key=lambda m: m["month"]),
            "respondents": respondents, "heard": heard, "members": members,
            "under_represented": under_represented(heard, respondents, members)}


def under_represented(heard: dict, respondents: int, members: dict) -> list[dict]:
    """Groups whose share of those heard is under UNDER times their shown share of the membership."""
    total = members.get("members")
    found = []
    if not total or not respondents:
        return found
    for attribute, groups in members.get("groups", {}).items():
        for value, count in groups.items():
            if value == UNSAID or count is None:
                continue
            member_share = count / total
            heard_share = heard.get(attribute, {}).get(value, 0) / respondents
            if heard_share < UNDER * member_share:
                found.append({"attribute": attribute, "value": value, "heard_share": heard_share,
                              "member_share": member_share})
    return sorted(found, key=lambda g: g["heard_share"] / g["member_share"])
