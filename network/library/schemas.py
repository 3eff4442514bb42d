"""JSON bodies and query strings of the library API, with the service's own limits (rules.LIMITS)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from network.core.bounds import ID, Bounded, Id
from network.core.i18n import babel_locale
from network.core.schemas import SPACES, Body, DateText, Line, Locale, Query, Text, example
from network.library.commitments import MOST_LINKED
from network.library.models import (
    AUDIENCES,
    COMMITMENT_STATUSES,
    COSTS,
    ENTRY_KINDS,
    READING_LEVELS,
    SERVICE_KINDS,
    TOPICS,
    VISIBILITIES,
)
from network.library.rules import LIMITS

# The countries a record may name: ISO 3166 codes, as the service checks them (rules.countries).
COUNTRY_CODES = tuple(sorted(code for code in babel_locale("en").territories if len(code) == 2 and code.isalpha()))
CountryCode = Literal[COUNTRY_CODES]  # type: ignore[valid-type]
# Spaces spelled out as core.schemas does, so every reader of the document agrees on what one is.
Website = Field(default="", max_length=LIMITS["website"], pattern=f"^(?:https://[^{SPACES}]+)?(?![\\s\\S])",
                examples=["https://example.org"])
PAGE = Bounded(1, 1000)
Audience = Literal[AUDIENCES]  # type: ignore[valid-type]
Topic = Literal[TOPICS]  # type: ignore[valid-type]
Kind = Literal[ENTRY_KINDS]  # type: ignore[valid-type]
Level = Literal[READING_LEVELS]  # type: ignore[valid-type]
Visibility = Literal[VISIBILITIES]  # type: ignore[valid-type]


class _Long(Body):
    # An entry's body is long Markdown: the library's own limit, not the API's usual 4000.
    model_config = {**Body.model_config, "str_max_length": LIMITS["body"]}


class TextBody(_Long):
    model_config = {**_Long.model_config, **example(locale="sw", level="easy", title="Kujiandaa kwa mkutano",
                                                    summary="Unachohitaji kujua.", body="## Kabla ya mkutano\n...",
                                                    what_changed="")}

    locale: Locale
    level: Level = "full"
    title: Line(1, LIMITS["title"])
    summary: Text(0, LIMITS["summary"]) = ""
    body: Text(1, LIMITS["body"])
    what_changed: Line(0, LIMITS["what_changed"]) = ""


class DetailsBody(Body):
    model_config = example(kind="guide", audiences=["survivors"], countries=["KE"], regions=["Nairobi"],
                           topics=["participation"], source="A survivors' group", published_on="2026-05-01",
                           licence="CC BY 4.0", visibility="public")

    kind: Kind
    audiences: list[Audience] = Field(min_length=1, max_length=len(AUDIENCES))
    countries: list[CountryCode] = Field(default_factory=list, max_length=60)
    regions: list[Line(1, LIMITS["region"])] = Field(default_factory=list, max_length=10)
    topics: list[Topic] = Field(min_length=1, max_length=len(TOPICS))
    source: Line(0, LIMITS["source"]) = ""
    published_on: DateText | None = None
    licence: Line(0, LIMITS["licence"]) = ""
    visibility: Visibility = "public"


class EntryBody(_Long):
    """A new entry: its details and its first text. A member's waits for a curator; a curator's is a draft."""

    model_config = {**_Long.model_config, **example(
        details={"kind": "guide", "audiences": ["survivors"], "topics": ["participation"], "countries": ["KE"]},
        text={"locale": "en", "title": "Getting ready for a meeting", "body": "## Before\n\nAsk who will be there."})}

    details: DetailsBody
    text: TextBody
    organisation_id: Id | None = Field(default=None, description="Proposed in the name of an organisation I "
                                                                 "represent; shown with the entry once published.")


class NoteBody(Body):
    model_config = example(reason="Checked against the source.")

    reason: Text(0, LIMITS["reason"]) = ""


class PublishBody(NoteBody):
    """`seen`: the entry's `last_change` when it was read (from GET /api/v1/library/curation): a
    change since then is refused with 409, to be read first."""

    model_config = example(reason="Read and checked.", seen=12)

    seen: Id


class _ServiceFields(Body):
    """What a service, a suggestion of one and a correction to one all say."""

    region: Line(0, LIMITS["region"]) = ""
    languages: list[Locale] = Field(default_factory=list, max_length=7)
    hours: Line(0, LIMITS["hours"]) = ""
    summary: Text(0, LIMITS["summary"]) = ""
    website: str = Website
    address: Text(0, LIMITS["address"]) = ""
    phone: Line(0, LIMITS["phone"]) = ""
    how_to_reach: Text(0, LIMITS["how_to_reach"]) = ""


ServiceKind = Literal[SERVICE_KINDS]  # type: ignore[valid-type]
Cost = Literal[COSTS]  # type: ignore[valid-type]


class ServiceBody(_ServiceFields):
    model_config = example(kind="psychosocial", name="Listening line (demo)", country="KE", region="Nairobi",
                           languages=["sw", "en"], hours="Mon-Fri 9-17", cost="free",
                           summary="Someone to talk to.", website="", visibility="public",
                           last_verified="2026-11-01", address="", phone="+000 123", how_to_reach="Ask for Amani.",
                           call_logged=False)

    kind: ServiceKind
    name: Line(1, LIMITS["name"])
    country: CountryCode
    cost: Cost = "free"
    visibility: Visibility = "members"
    last_verified: DateText | None = None
    call_logged: bool | None = None


class CorrectionBody(_ServiceFields):
    """What should change in a service: only the fields given, and a note."""

    model_config = example(hours="Mon-Sat 8-18", note="They now open on Saturdays.")

    kind: ServiceKind | None = None
    name: Line(0, LIMITS["name"]) = ""
    cost: Cost | None = None
    note: Text(1, LIMITS["note"])


class SuggestionBody(_ServiceFields):
    """A service that is missing from the directory."""

    model_config = example(kind="legal", name="Legal aid desk", country="KE", phone="+000 1", note="Free on Fridays.")

    kind: ServiceKind
    name: Line(1, LIMITS["name"])
    country: CountryCode
    cost: Cost = "free"
    note: Text(0, LIMITS["note"]) = ""


class DecisionBody(Body):
    model_config = example(decision="accept", reason="")

    decision: Literal["accept", "decline"]
    reason: Text(0, LIMITS["reason"]) = ""


class _CommitmentFields(Body):
    country: CountryCode
    instrument: Line(1, LIMITS["instrument"])
    made_on: DateText | None = None
    promise: Text(0, LIMITS["promise"]) = ""
    carried_by: Line(0, LIMITS["carried_by"]) = ""
    status: Literal[COMMITMENT_STATUSES] = "promised"  # type: ignore[valid-type]


class CommitmentBody(_CommitmentFields):
    model_config = example(country="KE", instrument="National Action Plan on UNSCR 1325", made_on="2020-10-01",
                           promise="Access to justice for survivors.", carried_by="Kenya National Action Plan II",
                           status="in_plan", entry_ids=[1])

    entry_ids: list[Id] = Field(default_factory=list, max_length=MOST_LINKED)


class _ImportedText(TextBody):
    model_config = _Long.model_config


class ImportedEntry(DetailsBody):
    model_config = {**_Long.model_config}

    ref: Line(0, 40) = ""
    texts: list[_ImportedText] = Field(min_length=1, max_length=20)


class Reaching(Body):
    """How to reach a service: kept apart, and never in an export."""

    address: Text(0, LIMITS["address"]) = ""
    phone: Line(0, LIMITS["phone"]) = ""
    how_to_reach: Text(0, LIMITS["how_to_reach"]) = ""
    call_logged: bool | None = None


class ImportedService(ServiceBody):
    model_config = Body.model_config

    ref: Line(0, 40) = ""
    sensitive: Reaching | None = None


class ImportedCommitment(_CommitmentFields):
    ref: Line(0, 40) = ""
    entries: list[Line(1, 40)] = Field(default_factory=list, max_length=MOST_LINKED)


class ImportBody(_Long):
    """A library document (format survnet-library/1, see the README): entries with their texts,
    services, commitments. A commitment names the entries it is linked to by their `ref`."""

    model_config = {**_Long.model_config, **example(
        format="survnet-library/1",
        entries=[{"ref": "e1", "kind": "guide", "audiences": ["survivors"], "topics": ["safety"],
                  "texts": [{"locale": "sw", "title": "Simu salama", "body": "Futa historia."}]}],
        services=[{"kind": "legal", "name": "Legal aid desk", "country": "KE",
                   "sensitive": {"phone": "+000 1", "how_to_reach": "Ask for Amani."}}],
        commitments=[{"country": "KE", "instrument": "National Action Plan", "entries": ["e1"]}])}

    format: Literal["survnet-library/1"]
    entries: list[ImportedEntry] = Field(default_factory=list, max_length=5000)
    services: list[ImportedService] = Field(default_factory=list, max_length=5000)
    commitments: list[ImportedCommitment] = Field(default_factory=list, max_length=5000)


class SearchQuery(Query):
    q: str = Field(default="", max_length=200)
    country: str | None = Field(default=None, pattern="^[A-Za-z]{2}$")
    topic: Topic | None = None
    audience: Audience | None = None
    language: Locale | None = None
    level: Level | None = None
    kind: Kind | None = None
    page: PAGE.query = 1


class ServicesQuery(Query):
    country: str | None = Field(default=None, pattern="^[A-Za-z]{2}$")
    kind: Literal[SERVICE_KINDS] | None = None  # type: ignore[valid-type]
    language: Locale | None = None
    page: PAGE.query = 1


class CountryQuery(Query):
    country: str | None = Field(default=None, pattern="^[A-Za-z]{2}$")


class LogQuery(Query):
    before: ID.query | None = None
