"""Consultations: authoring, lifecycle, who may take part. No HTTP. Taking part (consent, answers,
withdrawal) is in participation.py; the figures released from the answers in results.py.
"""

from __future__ import annotations

from datetime import datetime, timezone

from tortoise.transactions import in_transaction

from consultations.models import Answer, Consultation, Participation, Question, Section
from consultations.schemas import TEXT_LIMITS, ConsultationIn
from network.core.i18n import lazy as _l
from network.core.refusal import Refused, within
from network.core.settings import LOCALES
from network.members.models import AGE_BANDS, Member
from network.members.profiles import SPOKEN_LANGUAGES, regions

DEFAULT_TEXT_MAX = 2000
NOT_FOUND = _l("That consultation was not found.")


def now() -> datetime:
    return datetime.now(timezone.utc)


class Shown(str):
    """A text as shown and the locale it is written in (the reader's, or the fallback's when the
    reader's is missing), so pages can mark it with `lang`; still a plain str to the JSON API."""

    lang: str

    def __new__(cls, text: str, lang: str):
        shown = super().__new__(cls, text)
        shown.lang = lang
        return shown


def localized(texts: dict, locale: str, original: str) -> Shown:
    """The member's own language, falling back to the original (then to any text there is)."""
    texts = texts or {}
    for candidate in (locale, original, *texts):
        if texts.get(candidate):
            return Shown(texts[candidate], candidate)
    return Shown("", original)


def _texts(texts: dict, kind: str, field: str, required: bool = True) -> dict:
    clean = {}
    for locale, text in (texts or {}).items():
        if locale not in LOCALES:
            raise Refused("invalid_locale", _l("Texts can be given in the site's languages only."), field=field)
        text = within(text, TEXT_LIMITS[kind], field)
        if text:
            clean[locale] = text
    if required and not clean:
        raise Refused("missing_text", _l("Please fill this in."), field=field)
    return clean


def _question_fields(q, position: int, sections: list[Section]) -> dict:
    field = f"questions.{position}"
    fields = {"position": position, "kind": q.kind, "required": q.required,
              "prompt": _texts(q.prompt, "prompt", field)}
    if q.kind in ("single", "multiple", "ranking"):
        if len(q.options) < 2:
            raise Refused("options", _l("A choice or ranking question needs at least two options."), field=field)
        fields["options"] = [_texts(o, "option", field) for o in q.options]
        if q.kind == "multiple":
            fields["max_choices"] = min(q.max_choices or len(q.options), len(q.options))
    elif q.kind == "scale":
        low, high = q.scale_min if q.scale_min is not None else 1, q.scale_max if q.scale_max is not None else 5
        if high - low < 1 or high - low > 10:
            raise Refused("scale", _l("A scale runs from a lower to a higher number, at most 10 steps."), field=field)
        fields.update(scale_min=low, scale_max=high, scale_labels={
            "low": _texts(q.scale_low_label, "label", field, required=False),
            "high": _texts(q.scale_high_label, "label", field, required=False)})
    else:
        fields["max_length"] = q.max_length or DEFAULT_TEXT_MAX
        if q.kind == "comment":
            if q.section is None or not 0 <= q.section < len(sections):
                raise Refused("section", _l("A comment question belongs to one of the draft's sections."), field=field)
            fields["section_id"] = sections[q.section].id
    return fields


def _audience(data) -> dict:
    audience = {"languages": sorted(set(data.languages)), "regions": sorted(set(data.regions)),
                "age_bands": sorted(set(data.age_bands))}
    for name, allowed in (("languages", SPOKEN_LANGUAGES), ("regions", regions()), ("age_bands", AGE_BANDS)):
        if not set(audience[name]) <= set(allowed):
            raise Refused("audience", _l("Choose the audience from the lists offered."), field=f"audience.{name}")
    return audience


def _dates(data) -> tuple:
    if data.opens_at and data.closes_at and data.closes_at <= data.opens_at:
        raise Refused("dates", _l("The closing date must come after the opening date."), field="closes_at")
    return data.opens_at, data.closes_at


def _main_texts(data: ConsultationIn) -> dict:
    return {"title": _texts(data.title, "title", "title"),
            "summary": _texts(data.summary, "summary", "summary", required=False),
            "consent_text": _texts(data.consent_text, "consent_text", "consent_text"),
            "youth_consent_text": _texts(data.youth_consent_text, "consent_text", "youth_consent_text", required=False)}


def youth_version(consultation: Consultation, member: Member | None) -> bool:
    """Whether this member reads the under-18 information and consent text."""
    return bool(member is not None and member.age_band == "under18" and consultation.youth_consent_text)


async def create(owner: Member, data: ConsultationIn) -> Consultation:
    if data.original_locale not in LOCALES:
        raise Refused("invalid_locale", _l("Texts can be given in the site's languages only."), field="original_locale")
    texts = _main_texts(data)
    audience = _audience(data.audience)
    opens_at, closes_at = _dates(data)
    async with in_transaction():
        consultation = await Consultation.create(owner=owner, original_locale=data.original_locale, k=data.k,
                                                 audience=audience, opens_at=opens_at, closes_at=closes_at, **texts)
        sections = await _write_sections(consultation, data, version=1)
        await _write_questions(consultation, data, sections)
    return consultation


async def _write_sections(consultation: Consultation, data: ConsultationIn, version: int) -> list[Section]:
    sections = []
    for position, s in enumerate(data.sections):
        sections.append(await Section.create(
            consultation=consultation, position=position, changed_in_version=version,
            heading=_texts(s.heading, "heading", f"sections.{position}"),
            body=_texts(s.body, "body", f"sections.{position}")))
    return sections


async def _write_questions(consultation: Consultation, data: ConsultationIn, sections: list[Section]) -> None:
    for position, q in enumerate(data.questions):
        await Question.create(consultation=consultation, **_question_fields(q, position, sections))


def can_edit(actor: Member, consultation: Consultation) -> bool:
    return actor.role == "admin" or consultation.owner_id == actor.id


async def get(consultation_id: int) -> Consultation:
    consultation = await Consultation.get_or_none(id=consultation_id)
    if consultation is None:
        raise Refused("not_found", NOT_FOUND, kind="not_found")
    return consultation


async def editable(actor: Member, consultation_id: int) -> Consultation:
    consultation = await get(consultation_id)
    if not can_edit(actor, consultation):
        # Not the owner: the same answer as for a consultation that does not exist.
        raise Refused("not_found", NOT_FOUND, kind="not_found")
    return consultation


async def update(actor: Member, consultation_id: int, data: ConsultationIn) -> Consultation:
    """Replaces the draft. Once open, a change makes a new version; once answered, questions stay."""
    consultation = await editable(actor, consultation_id)
    if consultation.status in ("closed", "published"):
        raise Refused("closed", _l("A closed consultation cannot be changed."), kind="conflict")
    texts = _main_texts(data)
    answered = await Answer.filter(question__consultation=consultation).exists()
    old_questions = await Question.filter(consultation=consultation).order_by("position")
    async with in_transaction():
        old_sections = await Section.filter(consultation=consultation).order_by("position")
        version = consultation.version + (1 if consultation.status == "open" else 0)
        if (consultation.consent_text, consultation.youth_consent_text) != \
                (texts["consent_text"], texts["youth_consent_text"]):
            consultation.consent_previous = consultation.consent_text
            consultation.consent_version += 1
        for name, value in texts.items():
            setattr(consultation, name, value)
        consultation.audience = _audience(data.audience)
        consultation.opens_at, consultation.closes_at = _dates(data)
        if data.k != consultation.k and await Participation.filter(consultation=consultation, submitted=True).exists():
            # k decides what every release hides: once anyone has answered it stays as it was (a consent
            # alone, a duress decoy's included, counts in no figure).
            raise Refused("k_locked", _l("The smallest group shown cannot change once people have taken part."),
                          kind="conflict", field="k")
        consultation.k = data.k
        sections = []
        for position, s in enumerate(data.sections):
            heading = _texts(s.heading, "heading", f"sections.{position}")
            body = _texts(s.body, "body", f"sections.{position}")
            old = old_sections[position] if position < len(old_sections) else None
            if old is None:
                old = await Section.create(consultation=consultation, position=position, heading=heading,
                                           body=body, changed_in_version=version)
            elif (old.heading, old.body) != (heading, body):
                old.heading, old.body, old.changed_in_version = heading, body, version
                await old.save()
            sections.append(old)
        for extra in old_sections[len(data.sections):]:
            await extra.delete()
        wanted = [_question_fields(q, position, sections) for position, q in enumerate(data.questions)]
        unchanged = len(wanted) == len(old_questions) and all(
            all(getattr(old, name) == value for name, value in new.items())
            for old, new in zip(old_questions, wanted, strict=True))
        if not unchanged:
            if answered:
                raise Refused("answered", _l("Questions cannot change once answers exist."), kind="conflict")
            # Unanswered, so nothing points at the old questions yet.
            await Question.filter(consultation=consultation).delete()
            await _write_questions(consultation, data, sections)
        if any(s.changed_in_version == version for s in sections) and consultation.status == "open":
            consultation.version = version
        await consultation.save()
    return consultation


async def set_status(actor: Member, consultation_id: int, status: str) -> Consultation:
    consultation = await editable(actor, consultation_id)
    allowed = {"open": ("draft",), "closed": ("open",)}
    if consultation.status not in allowed[status]:
        raise Refused("status", _l("That cannot be done at this stage of the consultation."), kind="conflict")
    if status == "open" and not await Question.filter(consultation=consultation).exists():
        raise Refused("no_questions", _l("Add at least one question before opening."), kind="conflict")
    consultation.status = status
    if status == "open" and not consultation.opens_at:
        consultation.opens_at = now()
    if status == "closed":
        consultation.closes_at = now()
    await consultation.save()
    return consultation


async def publish_outcome(actor: Member, consultation_id: int, heard: dict, will_do: dict) -> Consultation:
    consultation = await editable(actor, consultation_id)
    if consultation.status not in ("closed", "published"):
        raise Refused("status", _l("Close the consultation before publishing its outcome."), kind="conflict")
    consultation.outcome_heard = _texts(heard, "heard", "heard")
    consultation.outcome_will_do = _texts(will_do, "will_do", "will_do")
    consultation.status = "published"
    await consultation.save()
    # A new outcome reaches every participant again, even one who saw an earlier one.
    await Participation.filter(consultation=consultation).update(outcome_seen=False)
    return consultation


def is_accepting(consultation: Consultation) -> bool:
    moment = now()
    return consultation.status == "open" and (consultation.opens_at is None or consultation.opens_at <= moment) \
        and (consultation.closes_at is None or moment < consultation.closes_at)


def in_audience(consultation: Consultation, member: Member) -> bool:
    audience = consultation.audience or {}
    if audience.get("languages") and not set(audience["languages"]) & set(member.languages or []):
        return False
    if audience.get("regions") and member.region not in audience["regions"]:
        return False
    return not (audience.get("age_bands") and member.age_band not in audience["age_bands"])


async def open_for(member: Member) -> list[Consultation]:
    candidates = await Consultation.filter(status="open").order_by("-id").limit(200)
    return [c for c in candidates if is_accepting(c) and in_audience(c, member)]


async def owned_by(actor: Member) -> list[Consultation]:
    query = Consultation.all() if actor.role == "admin" else Consultation.filter(owner=actor)
    return await query.order_by("-id").limit(200)


async def sections_of(consultation: Consultation) -> list[Section]:
    return await Section.filter(consultation=consultation).order_by("position")


async def questions_of(consultation: Consultation) -> list[Question]:
    return await Question.filter(consultation=consultation).order_by("position")
