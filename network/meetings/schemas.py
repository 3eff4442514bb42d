"""JSON bodies of the meetings API, with the service's own limits."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from network.core.bounds import Id, integer
from network.core.schemas import Amount, Body, DateTimeText, Line, Text, example
from network.meetings.models import MEETING_KINDS
from network.members.profiles import SPOKEN_LANGUAGES

Language = Literal[SPOKEN_LANGUAGES]  # type: ignore[valid-type]


class MeetingBody(Body):
    model_config = example(kind="consultation", title="Regional consultation on reparations", city="Goma",
                           starts_at="2027-03-31T09:00", ends_at="2027-03-31T16:00", time_zone="Africa/Lubumbashi",
                           languages=["fr", "sw"], capacity=30)

    kind: Literal[MEETING_KINDS] = "gathering"  # type: ignore[valid-type]
    title: Line(1, 200)
    summary: Text(0, 2000) = ""
    agenda: Text(0, 5000) = ""
    online: bool = False
    city: Line(0, 80) = Field(default="", description="In person: needed; the only place shown before acceptance.")
    address: Text(0, 500) = Field(default="", description="The address, or how to join online: for those accepted.")
    starts_at: DateTimeText
    ends_at: DateTimeText
    time_zone: Line(1, 40) = Field(default="UTC", description="An IANA time zone; a time without an offset is in it.")
    languages: list[Language] = Field(default_factory=list, max_length=20)
    interpretation: list[Language] = Field(default_factory=list, max_length=20)
    capacity: integer(1, 5000)
    fund_id: Id | None = Field(default=None, description="The fund each accepted place's stipend is offered from.")
    travel: Amount | Literal[""] = ""
    time_off: Amount | Literal[""] = ""


class PlaceDecision(Body):
    model_config = example(decision="accept")

    decision: Literal["accept", "decline"]


class Attended(Body):
    model_config = example(attended=True)

    attended: bool


class HeldBody(Body):
    model_config = example(outcome="We agreed three priorities.")

    outcome: Text(0, 5000) = ""
