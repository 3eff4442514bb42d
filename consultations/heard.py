"""Who we heard from: participation across the network, by language, region, age band and the
dimensions members chose to be counted under, per consultation and over time, beside the
membership, with the groups heard less than their share of the membership. No HTTP.

Nothing here is counted from answers: every participation figure is read from the consultations'
final releases (consultations.releases), which network.core.disclosure protected when they were
made, and the dashboard adds only sums of numbers those releases publish. The membership is
counted once a month into a Snapshot, by language, region and age band only, small groups hidden
and the rest rounded (see _count_members).
"""

from __future__ import annotations

from datetime import datetime, timezone

from tortoise.exceptions import IntegrityError

from consultations.models import Release, Snapshot
from consultations.results import BREAKDOWNS
from network.core.disclosure import rounded
from network.core.i18n import lazy as _l
from network.members.models import Member

K = 5  # the smallest membership group shown, as the consultations' default
UNDER = 0.8  # heard at less than this share of the group's share of the membership
UNSAID = "unsaid"


def _month() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m")


def _member_values(member: dict) -> dict[str, str]:
    return {"language": (member["languages"] or [UNSAID])[0], "region": member["region"] or UNSAID,
            "age_band": member["age_band"] or UNSAID}


async def _count_members() -> dict:
    """The membership by language, region and age band: groups under K hidden, the rest rounded to
    the nearest K. Counts that move as one person joins or leaves would tell, month after month,
    which group that person is in; rounded, most joins move nothing. The dimensions members choose to
    be counted under are not counted here at all: only their answers' releases show them."""
    counts: dict = {}
    total = 0
    # Only the three columns counted: no sealed field of any member is opened to count them.
    for member in await Member.filter(status="active", role="member").values("languages", "region", "age_band"):
        total += 1
        for attribute, value in _member_values(member).items():
            counts[(attribute, value)] = counts.get((attribute, value), 0) + 1
    if total < K:
        return {"k": K, "members": None, "groups": {}}
    groups: dict = {}
    for (attribute, value), count in counts.items():
        groups.setdefault(attribute, {})[value] = rounded(count, K)
    return {"k": K, "members": rounded(total, K), "groups": groups}


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
    by_attribute = shares(heard, members)
    return {"consultations": consultations, "months": sorted(months.values(), key=lambda m: m["month"]),
            "respondents": respondents, "heard": heard, "members": members, "shares": by_attribute,
            "under_represented": under_represented(by_attribute)}


ANSWERED = _l("Consultations answered")
ANSWERS = _l("Answers counted in released results")
KEPT = _l("Commitments kept")
MADE = _l("Commitments made")


async def impact(rt) -> list[tuple]:
    """For donor reports: consultations whose final release showed its figures, the answers those
    releases counted (sums of released numbers), and commitments made and kept (the policymakers')."""
    from consultations.models import Commitment

    shown = [r.figures.get("respondents") for r in await Release.filter(final=True)]
    shown = [n for n in shown if n is not None]
    return [("consultations_answered", ANSWERED, len(shown)), ("answers_counted", ANSWERS, sum(shown)),
            ("commitments_made", MADE, await Commitment.all().count()),
            ("commitments_kept", KEPT, await Commitment.filter(status="done").count())]


def shares(heard: dict, members: dict) -> dict[str, list[dict]]:
    """Per attribute, each group's share of those heard beside its share of the membership, each out
    of the groups shown on its side (the releases' published groups; the membership's shown groups
    but "unsaid"), so that members who did not share, or groups too small to show, weigh on neither
    side; and whether the group is heard at under UNDER times its share of the membership."""
    out: dict[str, list[dict]] = {}
    for attribute in BREAKDOWNS:
        heard_here = heard.get(attribute, {})
        in_members = {value: count for value, count in members.get("groups", {}).get(attribute, {}).items()
                      if value != UNSAID}
        all_heard = sum(heard_here.values())
        all_members = sum(count for count in in_members.values() if count is not None)
        rows = []
        for value in sorted(set(heard_here) | set(in_members)):
            count = in_members.get(value)
            heard_share = heard_here.get(value, 0) / all_heard if all_heard else None
            member_share = count / all_members if count is not None and all_members else None
            rows.append({"value": value, "heard": heard_here.get(value, 0), "heard_share": heard_share,
                         "members": count, "member_share": member_share,
                         "under": heard_share is not None and member_share is not None
                         and heard_share < UNDER * member_share})
        if rows:
            out[attribute] = rows
    return out


def under_represented(by_attribute: dict[str, list[dict]]) -> list[dict]:
    found = [{"attribute": attribute, **row} for attribute, rows in by_attribute.items() for row in rows
             if row["under"]]
    return sorted(found, key=lambda g: g["heard_share"] / g["member_share"])
