"""Free text and section comments reach the policymaker only after a moderator has reviewed them.

Moderators see the text, never who wrote it (nothing stored says). The policymaker sees only a
released text, or the moderator's redacted version of it; never the original of a redacted one.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from consultations.models import Answer, Consultation
from network.core.i18n import lazy as _l
from network.core.refusal import Refused, within


async def pending(limit: int = 50) -> list[Answer]:
    return await (Answer.filter(review="pending", participation__submitted=True)
                  .select_related("question__consultation").order_by("id").limit(limit))


def decided(original: str | None, decision: str, redacted: str | None) -> tuple[str, str | None]:
    """A moderator's decision on a member's text (an answer, a proposal): released as it is, redacted
    (the moderator's version), or withheld; and the text others may then read."""
    if decision == "release":
        return "released", original
    if decision == "redact":
        redacted = within(redacted, len(original or "") + 200, "text")  # a redaction shortens, as a rule
        if not redacted:
            raise Refused("redaction_missing", _l("Write the text as it may be released."), field="text")
        return "redacted", redacted
    if decision == "withhold":
        return "withheld", None
    raise Refused("invalid_decision", _l("Choose release, redact or withhold."), field="decision")


async def decide(answer_id: int, decision: str, redacted: str | None = None) -> Answer:
    answer = await Answer.get_or_none(id=answer_id, review__not_isnull=True)
    if answer is None:
        raise Refused("not_found", _l("That text was not found."), kind="not_found")
    answer.review, answer.released_text = decided(answer.text, decision, redacted)
    await answer.save(update_fields=["review", "released_text"])
    return answer


async def _young_writers(consultation_id: int) -> int:
    return len(set(await Answer.filter(question__consultation_id=consultation_id, participation__submitted=True,
                                       participation__youth=True, review__in=["released", "redacted"])
                   .values_list("participation_id", flat=True)))


async def released_for(consultation_id: int, after_id: int = 0, limit: int = 500) -> list[dict]:
    """Released texts, oldest first, in pages (keyset) so an export never holds them all. Under-18
    members' texts are among them only once at least k young members' texts are: never a lone child's."""
    query = Answer.filter(question__consultation_id=consultation_id, participation__submitted=True,
                          review__in=["released", "redacted"], id__gt=after_id)
    consultation = await Consultation.get(id=consultation_id)
    if await _young_writers(consultation_id) < consultation.k:
        query = query.filter(participation__youth=False)
    rows = await query.order_by("id").limit(limit).values("id", "question_id", "released_text")
    field = Answer._meta.fields_map["released_text"]
    return [{**row, "released_text": field.open(row["released_text"], row["id"])} for row in rows]


def _midnight(day: date | None) -> datetime:
    # Only the day is kept (its time would tell who answered); the queue orders by datetimes.
    return datetime.combine(day or date.today(), time.min, tzinfo=timezone.utc)


async def queue_items() -> list[dict]:
    """Texts waiting for review, as items of the moderators' one queue (a registry queue source, added by setup())."""
    items = []
    for answer in await (Answer.filter(review="pending", participation__submitted=True)
                         .select_related("participation", "question").order_by("id").limit(200)):
        items.append({"kind": "text", "id": answer.id, "priority": 1,
                      "created_at": _midnight(answer.participation.submitted_on), "text": answer.text,
                      "question": answer.question.prompt, "action_url": f"/consultations/review/{answer.id}"})
    return items
