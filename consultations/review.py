"""Free text and section comments reach the policymaker only after a moderator has reviewed them.

Moderators see the text, never who wrote it (nothing stored says). The policymaker sees only a
released text, or the moderator's redacted version of it; never the original of a redacted one.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from tortoise.expressions import Q
from tortoise.functions import Count

from consultations.models import Answer, Consultation
from network.core.i18n import lazy as _l
from network.core.refusal import Refused, within


def _waiting():
    """Texts to review: those of submitted participations, and young members' (kept apart once submitted)."""
    return Answer.filter(Q(participation__submitted=True) | Q(participation_id__isnull=True), review="pending")


async def pending(limit: int = 50) -> list[Answer]:
    return await _waiting().select_related("question__consultation").order_by("id").limit(limit)


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


async def released_for(consultation_id: int, after_id: int = 0, limit: int = 500) -> list[dict]:
    """Released texts, oldest first, in pages (keyset) so an export never holds them all. Under-18
    members' texts are among them only for a question at least k young members' texts answer: never
    a lone child's words."""
    released = Answer.filter(question__consultation_id=consultation_id, review__in=["released", "redacted"],
                             id__gt=after_id)
    k = (await Consultation.get(id=consultation_id)).k
    young = await (Answer.filter(question__consultation_id=consultation_id, participation_id__isnull=True,
                                 review__in=["released", "redacted"]).annotate(n=Count("id"))
                   .group_by("question_id").values("question_id", "n"))
    shown = [row["question_id"] for row in young if row["n"] >= k]
    rows = await released.filter(Q(participation__submitted=True) | Q(participation_id__isnull=True,
                                                                      question_id__in=shown or [0])) \
        .order_by("id").limit(limit).values("id", "question_id", "released_text")
    field = Answer._meta.fields_map["released_text"]
    return [{**row, "released_text": field.open(row["released_text"], row["id"])} for row in rows]


def _midnight(day: date | None) -> datetime:
    # Only the day is kept (its time would tell who answered); the queue orders by datetimes.
    return datetime.combine(day or date.today(), time.min, tzinfo=timezone.utc)


async def queue_items() -> list[dict]:
    """Texts waiting for review, as items of the moderators' one queue (a registry queue source, added by setup())."""
    items = []
    for answer in await _waiting().select_related("participation", "question").order_by("id").limit(200):
        # A young member's text has no participation to date it by: it is dated by today, like any other.
        submitted = answer.participation.submitted_on if answer.participation else None
        items.append({"kind": "text", "id": answer.id, "priority": 1,
                      "created_at": _midnight(submitted), "text": answer.text,
                      "question": answer.question.prompt, "action_url": f"/consultations/review/{answer.id}"})
    return items
