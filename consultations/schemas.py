"""JSON bodies of the consultations API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Texts = dict[str, str]  # locale -> text


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SectionIn(Body):
    heading: Texts
    body: Texts


class QuestionIn(Body):
    kind: Literal["single", "multiple", "scale", "ranking", "text", "comment"]
    prompt: Texts
    required: bool = False
    options: list[Texts] = Field(default_factory=list, max_length=30)
    max_choices: int | None = Field(default=None, ge=1, le=30)
    scale_min: int | None = Field(default=None, ge=0, le=10)
    scale_max: int | None = Field(default=None, ge=1, le=10)
    scale_low_label: Texts = Field(default_factory=dict)
    scale_high_label: Texts = Field(default_factory=dict)
    max_length: int | None = Field(default=None, ge=1, le=5000)
    section: int | None = Field(default=None, ge=0, description="For a comment: the section's position, from 0")


class Audience(Body):
    languages: list[str] = Field(default_factory=list, max_length=40)
    regions: list[str] = Field(default_factory=list, max_length=300)
    age_bands: list[str] = Field(default_factory=list, max_length=6)


class ConsultationIn(Body):
    original_locale: str = Field(default="en", max_length=8)
    title: Texts
    summary: Texts = Field(default_factory=dict)
    consent_text: Texts
    sections: list[SectionIn] = Field(default_factory=list, max_length=100)
    questions: list[QuestionIn] = Field(default_factory=list, max_length=100)
    audience: Audience = Field(default_factory=Audience)
    k: int = Field(default=5, ge=3, le=1000)
    opens_at: datetime | None = None
    closes_at: datetime | None = None


class AnswerIn(Body):
    question_id: int
    option: int | None = None
    options: list[int] | None = Field(default=None, max_length=30)
    value: int | None = None
    ranking: list[int] | None = Field(default=None, max_length=30)
    text: str | None = Field(default=None, max_length=20000)


class AnswersIn(Body):
    answers: list[AnswerIn] = Field(default_factory=list, max_length=200)
    submit: bool = False


class ConsentIn(Body):
    share_profile: bool = False


class OutcomeIn(Body):
    heard: Texts
    will_do: Texts


class ReviewIn(Body):
    decision: Literal["release", "redact", "withhold"]
    text: str | None = Field(default=None, max_length=20000)
