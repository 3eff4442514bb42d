"""JSON bodies of the consultations API."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from consultations.models import COMMITMENT_STATUSES, PROPOSAL_KINDS
from network.core.bounds import Id, integer
from network.core.schemas import Body, DateText, DateTimeText, Line, Locale, Text, example
from network.members.models import AGE_BANDS
from network.members.profiles import SPOKEN_LANGUAGES, regions

# The longest text of each kind, in any one language (the service's own limits).
TEXT_LIMITS = {"title": 200, "summary": 2000, "consent_text": 10000, "heading": 200, "body": 50000,
               "prompt": 1000, "option": 300, "label": 100, "heard": 20000, "will_do": 20000,
               "commitment": 1000, "note": 2000, "proposal": 2000, "reason": 2000}


def Texts(kind: str, required: bool = True):
    """A text in one or more of the site's languages: {"en": "...", "fr": "..."}."""
    return Annotated[dict[Locale, Text(1, TEXT_LIMITS[kind])], Field(min_length=1 if required else 0,
                                                                       examples=[{"en": "Reparations"}])]


OptionIndex = integer(0, 29)
RegionCode = Literal[regions()]  # type: ignore[valid-type]


class SectionIn(Body):
    heading: Texts("heading")
    body: Texts("body")


class QuestionIn(Body):
    kind: Literal["single", "multiple", "scale", "ranking", "text", "comment"]
    prompt: Texts("prompt")
    required: bool = False
    options: list[Texts("option")] = Field(default_factory=list, max_length=30)
    max_choices: integer(1, 30) | None = None
    scale_min: integer(0, 10) | None = None
    scale_max: integer(1, 10) | None = None
    scale_low_label: Texts("label", required=False) = Field(default_factory=dict)
    scale_high_label: Texts("label", required=False) = Field(default_factory=dict)
    max_length: integer(1, 5000) | None = None
    section: integer(0, 99, description="For a comment: the section's position, from 0") | None = None


class Audience(Body):
    languages: list[Literal[SPOKEN_LANGUAGES]] = Field(default_factory=list, max_length=40)  # type: ignore[valid-type]
    regions: list[RegionCode] = Field(default_factory=list, max_length=300)
    age_bands: list[Literal[AGE_BANDS]] = Field(default_factory=list, max_length=6)  # type: ignore[valid-type]


class ConsultationIn(Body):
    model_config = example(original_locale="en", title={"en": "Reparations"}, consent_text={"en": "Your answers are counted, never linked to you."}, sections=[{"heading": {"en": "Scope"}, "body": {"en": "Who the draft covers."}}], questions=[{"kind": "single", "prompt": {"en": "Does it cover you?"}, "options": [{"en": "Yes"}, {"en": "No"}]}], k=5)

    original_locale: Locale = "en"
    title: Texts("title")
    summary: Texts("summary", required=False) = Field(default_factory=dict)
    consent_text: Texts("consent_text")
    # For members in the under-18 band: the same information in words for their age (empty: none).
    youth_consent_text: Texts("consent_text", required=False) = Field(default_factory=dict)
    sections: list[SectionIn] = Field(default_factory=list, max_length=100)
    questions: list[QuestionIn] = Field(default_factory=list, max_length=100)
    audience: Audience = Field(default_factory=Audience)
    k: integer(3, 1000) = 5
    opens_at: DateTimeText | None = None
    closes_at: DateTimeText | None = None


class AnswerIn(Body):
    question_id: Id
    option: OptionIndex | None = None
    options: list[OptionIndex] | None = Field(default=None, max_length=30)
    value: integer(0, 10) | None = None
    ranking: list[OptionIndex] | None = Field(default=None, max_length=30)
    text: str | None = Field(default=None, max_length=5000, description="At most the question's max_length.")


class AnswersIn(Body):
    model_config = example(answers=[{"question_id": 8, "option": 0}], submit=False)

    answers: list[AnswerIn] = Field(default_factory=list, max_length=200)
    submit: bool = False


class ConsentIn(Body):
    model_config = example(share_profile=False)

    share_profile: bool = False


class OutcomeIn(Body):
    model_config = example(heard={"en": "What we heard."}, will_do={"en": "What we will do."})

    heard: Texts("heard")
    will_do: Texts("will_do")


class ReviewIn(Body):
    model_config = example(decision="redact", text="A village was named; it is left out.")

    decision: Literal["release", "redact", "withhold"]
    text: str | None = Field(default=None, max_length=20000)


class CommitmentIn(Body):
    model_config = example(what={"en": "Open two safe reporting desks in each province."},
                           who="Ministry of Justice", due_on="2027-06-30")

    what: Texts("commitment")
    who: Line(1, 200)
    due_on: DateText | None = None


class CommitmentUpdateIn(Body):
    model_config = example(status="under_way", note={"en": "The first desk opened in March."})

    status: Literal[COMMITMENT_STATUSES]  # type: ignore[valid-type]
    note: Texts("note", required=False) = Field(default_factory=dict,
                                                 description="Needed when the status is dropped: the reason.")


class FollowIn(Body):
    model_config = example(follow=True)

    follow: bool = True


class ProposalIn(Body):
    model_config = example(kind="topic", text="Reparations for children born of wartime rape.")

    kind: Literal[PROPOSAL_KINDS]  # type: ignore[valid-type]
    text: Text(1, 2000)


class SupportIn(Body):
    model_config = example(support=True)

    support: bool = True


class ProposalAnswerIn(Body):
    model_config = example(decision="declined", reason={"en": "It is outside this ministry's remit."})

    decision: Literal["taken_up", "declined"]
    consultation_id: Id | None = Field(default=None, description="Taken up: the consultation that takes it up.")
    reason: Texts("reason", required=False) = Field(default_factory=dict,
                                                    description="Declined: why (needed).")


# An organisation's answer to one question, in its own words, whatever the question's kind.
ORGANISATION_TEXT_MAX = 5000


class OrganisationAnswerIn(Body):
    question_id: Id
    text: Text(0, ORGANISATION_TEXT_MAX) = ""


class OrganisationResponseIn(Body):
    model_config = example(answers=[{"question_id": 8, "text": "Our members ask for health care first."}],
                           submit=False)

    answers: list[OrganisationAnswerIn] = Field(
        default_factory=list, max_length=100,
        description="The whole response: questions left out, or with an empty text, are not answered.")
    submit: bool = Field(default=False, description="true sends it to the policymaker; false keeps it a draft "
                                                    "(a response already sent goes back to being one).")
