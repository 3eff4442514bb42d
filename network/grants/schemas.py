"""JSON bodies of the grants API, with the service's own limits."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from network.core.bounds import Id
from network.core.schemas import Amount, Body, DateText, Limit, Line, Text, example
from network.grants.models import MENTORING_TOPICS
from network.grants.service import ANSWER_MAX, MOST_LINES, MOST_PROJECTS
from network.stipends.models import PAYOUT_METHODS


class BudgetLine(Body):
    item: Line(1, 200)
    amount: Amount


class Project(Body):
    name: Line(1, 120)
    what: Text(1, 1000)
    amount: Amount


class GrantBody(Body):
    model_config = example(fund_id=1, title="Peer support circles in Goma", for_whom="40 survivors in two districts",
                           amount="3000", starts_on="2027-02-01", ends_on="2027-06-30", payout_method="mobile_money",
                           payout_details="+243 000 000 000 (the group's account)")

    fund_id: Id
    title: Line(1, 200, description="What the money is for.")
    for_whom: Text(1, 1000)
    amount: Amount | Literal[""] = Field(default="", description="Not for a cluster: its projects' sum is the amount.")
    starts_on: DateText
    ends_on: DateText
    payout_method: Literal[PAYOUT_METHODS]  # type: ignore[valid-type]
    payout_details: Text(3, 500)
    lines: list[BudgetLine] = Field(default_factory=list, max_length=MOST_LINES,
                                    description="Only above the fund's small-grant threshold: the budget table.")
    cluster: bool = False
    projects: list[Project] = Field(default_factory=list, max_length=MOST_PROJECTS,
                                    description="A cluster's small projects, each within the small-grant threshold.")


class SpentLine(Body):
    id: Id
    spent: Limit = "0"
    receipt: Line(0, 200) = ""


class ReportBody(Body):
    model_config = example(did="Eight circles met each month.", reached="37 women in two districts.",
                           learned="Meeting on market days made it easier to come.")

    did: Text(1, ANSWER_MAX)
    reached: Text(1, ANSWER_MAX)
    learned: Text(1, ANSWER_MAX)
    lines: list[SpentLine] = Field(default_factory=list, max_length=MOST_LINES,
                                   description="Only above the threshold: what each budget line cost and its receipt.")


class MentoringBody(Body):
    model_config = example(topic="safeguarding", note="We are writing our first safeguarding policy.")

    topic: Literal[MENTORING_TOPICS]  # type: ignore[valid-type]
    note: Text(0, 1000) = ""
    grant_id: Id | None = None


class MatchBody(Body):
    model_config = example(pseudonym="mentor river")

    pseudonym: Line(1, 64)


class SessionBody(Body):
    model_config = example(held_on="2027-03-02", notes="Went through the policy's first draft.")

    held_on: DateText
    notes: Text(1, 5000)
