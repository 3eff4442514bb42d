"""Consultations: authoring, lifecycle, who may take part, consent, answers and withdrawal. No HTTP.

Answers are stored under a participation token, an HMAC of the member and the consultation keyed
by the server secret, so nothing stored links an answer to an account; the member's own token can
be computed again when they come back, which is how withdrawal and one-answer-each work.
"""

from __future__ import annotations

from datetime import datetime, timezone

from tortoise.transactions import in_transaction

from consultations.models import Answer, Consultation, Participation, Question, Section
from consultations.schemas import TEXT_LIMITS, AnswerIn, ConsultationIn
from network.core.i18n import lazy as _l
from network.core.keys import digest
from network.core.refusal import Refused
from network.core.runtime import Runtime
from network.core.settings import LOCALES
from network.members.models import AGE_BANDS, Member
from network.members.profiles import SPOKEN_LANGUAGES, regions

DEFAULT_TEXT_MAX = 2000
NOT_FOUND = _l("That consultation was not found.")


def now() -> datetime:
    return datetime.now(timezone.utc)


def token_for(rt: Runtime, member: Member, consultation_id: int) -> str:
    return digest(rt.settings.secret_key, "participation", f"{member.id}:{consultation_id}")


def localized(texts: dict, locale: str, original: str) -> str:
    """The member's own language, falling back to the original."""
    return texts.get(locale) or texts.get(original) or next(iter(texts.values()), "")


def _texts(texts: dict, kind: str, field: str, required: bool = True) -> dict:
    clean = {}
    for locale, text in (texts or {}).items():
        if locale not in LOCALES:
            raise Refused("invalid_locale", _l("Texts can be given in the site's languages only."), field=field)
        text = (text or "").strip()
        if len(text) > TEXT_LIMITS[kind]:
            raise Refused("too_long", _l("A text is longer than allowed (%(max)s characters)."), field=field,
                          max=TEXT_LIMITS[kind])
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
    if not set(audience["languages"]) <= set(SPOKEN_LANGUAGES) or not set(audience["regions"]) <= set(regions()) \
            or not set(audience["age_bands"]) <= set(AGE_BANDS):
        raise Refused("audience", _l("Choose the audience from the lists offered."), field="audience")
    return audience


def _dates(data) -> tuple:
    if data.opens_at and data.closes_at and data.closes_at <= data.opens_at:
        raise Refused("dates", _l("The closing date must come after the opening date."), field="closes_at")
    return data.opens_at, data.closes_at


async def create(owner: Member, data: ConsultationIn) -> Consultation:
    if data.original_locale not in LOCALES:
        raise Refused("invalid_locale", _l("Texts can be given in the site's languages only."), field="original_locale")
    texts = {name: _texts(getattr(data, name), name, name, required=name != "summary")
             for name in ("title", "summary", "consent_text")}
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
    texts = {name: _texts(getattr(data, name), name, name, required=name != "summary")
             for name in ("title", "summary", "consent_text")}
    answered = await Answer.filter(question__consultation=consultation).exists()
    old_questions = await Question.filter(consultation=consultation).order_by("position")
    async with in_transaction():
        old_sections = await Section.filter(consultation=consultation).order_by("position")
        version = consultation.version + (1 if consultation.status == "open" else 0)
        if consultation.consent_text != texts["consent_text"]:
            consultation.consent_version += 1
        for name, value in texts.items():
            setattr(consultation, name, value)
        consultation.audience = _audience(data.audience)
        consultation.opens_at, consultation.closes_at = _dates(data)
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
    if member.role == "decoy":
        return []
    candidates = await Consultation.filter(status="open").order_by("-id").limit(200)
    return [c for c in candidates if is_accepting(c) and in_audience(c, member)]


async def readable(rt: Runtime, member: Member, consultation_id: int) -> tuple[Consultation, Participation | None]:
    """A consultation this member may read: open to them, or one they took part in."""
    consultation = await get(consultation_id)
    participation = await Participation.get_or_none(consultation=consultation,
                                                    token=token_for(rt, member, consultation.id))
    if participation is None and not (is_accepting(consultation) and in_audience(consultation, member)) \
            and not can_edit(member, consultation):
        raise Refused("not_found", NOT_FOUND, kind="not_found")
    return consultation, participation


async def consent(rt: Runtime, member: Member, consultation_id: int, share_profile: bool) -> Participation:
    consultation = await get(consultation_id)
    if not (is_accepting(consultation) and in_audience(consultation, member)) or member.role == "decoy":
        raise Refused("not_open", _l("This consultation is not open to you."), kind="forbidden")
    token = token_for(rt, member, consultation.id)
    shared = {"language": (member.languages or [None])[0], "region": member.region or None,
              "age_band": member.age_band if member.age_band != "unsaid" else None} if share_profile else \
        {"language": None, "region": None, "age_band": None}
    participation, created = await Participation.get_or_create(
        consultation=consultation, token=token,
        defaults={"consent_version": consultation.consent_version, "consented_at": now(), **shared})
    if not created:
        participation.consent_version, participation.consented_at = consultation.consent_version, now()
        for name, value in shared.items():
            setattr(participation, name, value)
        await participation.save()
    return participation


async def my_participation(rt: Runtime, member: Member, consultation: Consultation) -> Participation | None:
    return await Participation.get_or_none(consultation=consultation, token=token_for(rt, member, consultation.id))


def _answer_rows(question: Question, given: AnswerIn) -> list[dict]:
    """The rows one answer becomes, or a refusal naming the question."""
    field = f"answers.{question.id}"
    bad = Refused("invalid_answer", _l("This answer does not fit the question."), field=field)
    count = len(question.options)
    if question.kind == "single":
        if given.option is None:
            return []
        if not 0 <= given.option < count:
            raise bad
        return [{"option": given.option}]
    if question.kind == "multiple":
        chosen = list(dict.fromkeys(given.options or []))
        if any(not 0 <= o < count for o in chosen):
            raise bad
        if len(chosen) > (question.max_choices or count):
            raise Refused("too_many", _l("Choose at most %(max)s."), field=field, max=question.max_choices)
        return [{"option": o} for o in chosen]
    if question.kind == "ranking":
        order = given.ranking or []
        if len(set(order)) != len(order) or any(not 0 <= o < count for o in order):
            raise bad
        return [{"option": o, "rank": position + 1} for position, o in enumerate(order)]
    if question.kind == "scale":
        if given.value is None:
            return []
        if not question.scale_min <= given.value <= question.scale_max:
            raise bad
        return [{"value": given.value}]
    text = (given.text or "").strip()
    if len(text) > (question.max_length or DEFAULT_TEXT_MAX):
        raise Refused("too_long", _l("This answer is longer than allowed (%(max)s characters)."), field=field,
                      max=question.max_length)
    return [{"text": text, "review": "pending"}] if text else []


async def save_answers(rt: Runtime, member: Member, consultation_id: int, answers: list[AnswerIn],
                       submit: bool) -> Participation:
    """Saves progress (or submits); every answer is checked before anything is written."""
    consultation = await get(consultation_id)
    if not is_accepting(consultation):
        raise Refused("closed", _l("This consultation is closed."), kind="conflict")
    participation = await my_participation(rt, member, consultation)
    if participation is None:
        raise Refused("no_consent", _l("Please read and agree to the consent text first."), kind="forbidden")
    questions = {q.id: q for q in await Question.filter(consultation=consultation)}
    rows: dict[int, list[dict]] = {}
    for given in answers:
        question = questions.get(given.question_id)
        if question is None:
            raise Refused("invalid_answer", _l("This answer does not fit the question."),
                          field=f"answers.{given.question_id}")
        rows[question.id] = _answer_rows(question, given)
    async with in_transaction() as connection:
        await Answer.filter(participation=participation, question_id__in=list(rows)).using_db(connection).delete()
        await Answer.bulk_create([Answer(participation=participation, question_id=qid, **row)
                                  for qid, items in rows.items() for row in items], using_db=connection)
        if submit:
            answered = set(await Answer.filter(participation=participation).using_db(connection)
                           .values_list("question_id", flat=True))
            missing = [q for q in questions.values() if q.required and q.id not in answered]
            if missing:
                raise Refused("required", _l("Please answer the questions marked as needed."),
                              field=f"answers.{missing[0].id}")
            participation.submitted, participation.submitted_at = True, now()
            await participation.save(using_db=connection)
    return participation


async def my_answers(participation: Participation | None) -> dict[int, list[Answer]]:
    if participation is None:
        return {}
    result: dict[int, list[Answer]] = {}
    for answer in await Answer.filter(participation=participation).order_by("rank", "id"):
        result.setdefault(answer.question_id, []).append(answer)
    return result


async def withdraw(rt: Runtime, member: Member, consultation_id: int) -> None:
    """Deletes the member's answers and consent; only while the consultation is open."""
    consultation = await get(consultation_id)
    if consultation.status != "open":
        raise Refused("closed", _l("This consultation is closed."), kind="conflict")
    await Participation.filter(consultation=consultation, token=token_for(rt, member, consultation.id)).delete()


async def mark_read(participation: Participation | None, version: int) -> None:
    if participation is not None and participation.read_version < version:
        await Participation.filter(id=participation.id).update(read_version=version)


async def unseen_outcomes(rt: Runtime, member: Member) -> list[Consultation]:
    """Published outcomes of consultations this member took part in and has not opened yet."""
    if member.role == "decoy":
        return []
    published = await Consultation.filter(status="published").order_by("-id").limit(100)
    tokens = {token_for(rt, member, c.id): c for c in published}
    unseen = await Participation.filter(token__in=list(tokens), outcome_seen=False).values_list("token", flat=True)
    return [tokens[t] for t in unseen]


async def taken_part(rt: Runtime, member: Member) -> list[Consultation]:
    if member.role == "decoy":
        return []
    recent = await Consultation.filter(status__in=["open", "closed", "published"]).order_by("-id").limit(200)
    tokens = {token_for(rt, member, c.id): c for c in recent}
    found = await Participation.filter(token__in=list(tokens)).values_list("token", flat=True)
    return [tokens[t] for t in found]


async def outcome_seen(rt: Runtime, member: Member, consultation: Consultation) -> None:
    await Participation.filter(consultation=consultation, token=token_for(rt, member, consultation.id)) \
        .update(outcome_seen=True)


async def owned_by(actor: Member) -> list[Consultation]:
    query = Consultation.all() if actor.role == "admin" else Consultation.filter(owner=actor)
    return await query.order_by("-id").limit(200)


async def sections_of(consultation: Consultation) -> list[Section]:
    return await Section.filter(consultation=consultation).order_by("position")


async def questions_of(consultation: Consultation) -> list[Question]:
    return await Question.filter(consultation=consultation).order_by("position")
