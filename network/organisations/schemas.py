"""JSON bodies of the organisations API, with the service's own limits."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from network.core.schemas import Body, Line, Text, example
from network.members.profiles import SPOKEN_LANGUAGES, regions
from network.organisations.models import ORGANISATION_KINDS
from network.organisations.service import PROFILE_MAX

Language = Literal[SPOKEN_LANGUAGES]  # type: ignore[valid-type]
Country = Literal[regions()]  # type: ignore[valid-type]


class ProfileBody(Body):
    model_config = example(profile="A survivor-led group in Goma: peer support and advocacy.", languages=["fr", "sw"])

    profile: Text(0, PROFILE_MAX) = ""
    languages: list[Language] = Field(default_factory=list, max_length=20)


class OrganisationBody(ProfileBody):
    model_config = example(name="Tujiunge", kind="survivor_led", country="CD", languages=["fr", "sw"])

    name: Line(2, 120)
    kind: Literal[ORGANISATION_KINDS] = "other"  # type: ignore[valid-type]
    country: Country = Field(description="An ISO 3166 country code.")
    active: bool = True


class RepresentativeBody(Body):
    model_config = example(pseudonym="river")

    pseudonym: Line(1, 64)
