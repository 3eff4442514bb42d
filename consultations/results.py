"""Results computed by aggregate queries, with small groups suppressed (and their complements).

The number of queries does not grow with the number of answers: a handful of GROUP BY queries
per consultation, whatever its size. Nothing is shown before k members have submitted; any cell
under k shows "fewer than k"; and when a row or column would have a single hidden cell, the
next smallest is hidden too, so no hidden cell can be worked out from the totals.
"""

from __future__ import annotations

from tortoise.functions import Count, Sum

from consultations.models import Answer, Consultation, Participation, Question
from consultations.service import localized, questions_of
from network.core.i18n import lazy as _l
from network.core.suppression import HIDDEN, suppress  # noqa: F401 - one rule for every published figure

FEWER = _l("fewer than %(k)s")
BREAKDOWNS = ("language", "region", "age_band")
UNSHARED = "unshared"


async def respondents(consultation: Consultation) -> int:
    return await Participation.filter(consultation=consultation, submitted=True).count()


def _submitted(consultation: Consultation):
    return Answer.filter(participation__consultation_id=consultation.id, participation__submitted=True)


async def _option_counts(consultation: Consultation, group: str | None = None) -> list[dict]:
    fields = ["question_id", "option"] + ([f"participation__{group}"] if group else [])
    return await (_submitted(consultation).filter(option__not_isnull=True, rank__isnull=True)
                  .annotate(n=Count("participation_id", distinct=True))
                  .group_by(*fields).values(*fields, "n"))


async def _scale_counts(consultation: Consultation, group: str | None = None) -> list[dict]:
    fields = ["question_id", "value"] + ([f"participation__{group}"] if group else [])
    return await (_submitted(consultation).filter(value__not_isnull=True)
                  .annotate(n=Count("id")).group_by(*fields).values(*fields, "n"))


async def _rank_scores(consultation: Consultation) -> list[dict]:
    return await (_submitted(consultation).filter(rank__not_isnull=True)
                  .annotate(n=Count("id"), rank_sum=Sum("rank"))
                  .group_by("question_id", "option").values("question_id", "option", "n", "rank_sum"))


async def _answered(consultation: Consultation, group: str | None = None) -> list[dict]:
    fields = ["question_id"] + ([f"participation__{group}"] if group else [])
    return await (_submitted(consultation).filter(text__isnull=True)
                  .annotate(n=Count("participation_id", distinct=True)).group_by(*fields).values(*fields, "n"))


async def _group_sizes(consultation: Consultation, group: str) -> dict:
    rows = await (Participation.filter(consultation=consultation, submitted=True)
                  .annotate(n=Count("id")).group_by(group).values(group, "n"))
    return {row[group] or UNSHARED: row["n"] for row in rows}


def _question_rows(question: Question, locale: str, original: str) -> list[str]:
    if question.kind == "scale":
        return [str(v) for v in range(question.scale_min, question.scale_max + 1)]
    return [localized(o, locale, original) for o in question.options]


async def compute(consultation: Consultation, locale: str) -> dict:
    """Everything the owner may see; each figure already suppressed."""
    k = consultation.k
    total = await respondents(consultation)
    result = {"respondents": total, "k": k, "shown": total >= k, "questions": [], "breakdowns": {}}
    if total < k:
        result["respondents"] = HIDDEN
        return result
    questions = [q for q in await questions_of(consultation) if q.kind not in ("text", "comment")]
    options = await _option_counts(consultation)
    scales = await _scale_counts(consultation)
    ranks = await _rank_scores(consultation)
    answered = {row["question_id"]: row["n"] for row in await _answered(consultation)}
    original = consultation.original_locale
    for question in questions:
        labels = _question_rows(question, locale, original)
        counts = {index: 0 for index in range(len(labels))}
        if question.kind == "scale":
            for row in scales:
                if row["question_id"] == question.id:
                    counts[row["value"] - question.scale_min] = row["n"]
        elif question.kind in ("single", "multiple"):
            for row in options:
                if row["question_id"] == question.id:
                    counts[row["option"]] = row["n"]
        entry = {"id": question.id, "kind": question.kind, "prompt": localized(question.prompt, locale, original),
                 "answered": answered.get(question.id, 0), "rows": []}
        if question.kind == "ranking":
            # Rank score: options ranked first score most (a Borda count), from sums the database made.
            size = len(labels)
            scores = {row["option"]: (row["n"], row["n"] * (size + 1) - row["rank_sum"])
                      for row in ranks if row["question_id"] == question.id}
            people = suppress({"all": {i: scores.get(i, (0, 0))[0] for i in range(size)}}, k)["all"]
            entry["rows"] = [{"label": labels[i], "count": people[i],
                              "score": scores.get(i, (0, 0))[1] if people[i] is not HIDDEN else HIDDEN}
                             for i in range(size)]
        else:
            cells = dict(counts)
            if question.kind != "multiple":
                cells["none"] = max(0, total - sum(counts.values()))
            shown = suppress({"all": cells}, k)["all"]
            entry["rows"] = [{"label": labels[i], "count": shown[i],
                              "share": None if shown[i] is HIDDEN else shown[i] / total}
                             for i in range(len(labels))]
            entry["no_answer"] = shown.get("none")
            if question.kind == "scale" and all(shown[i] is not HIDDEN for i in range(len(labels))):
                given = sum(counts.values())
                entry["mean"] = (sum((question.scale_min + i) * n for i, n in counts.items()) / given) if given else None
        result["questions"].append(entry)
    for group in BREAKDOWNS:
        result["breakdowns"][group] = await _breakdown(consultation, group, questions, k)
    return result


async def _breakdown(consultation: Consultation, group: str, questions: list[Question], k: int) -> dict:
    """Group sizes and, per group, the option counts of choice and scale questions."""
    sizes = suppress({"size": await _group_sizes(consultation, group)}, k)["size"]
    rows = await _option_counts(consultation, group) + await _scale_counts(consultation, group)
    tables: dict = {}
    for question in questions:
        if question.kind not in ("single", "multiple", "scale"):
            continue
        table = {g: {} for g in sizes if sizes[g] is not HIDDEN and g != UNSHARED}
        width = (question.scale_max - question.scale_min + 1) if question.kind == "scale" else len(question.options)
        for g in table:
            table[g] = {i: 0 for i in range(width)}
        for row in rows:
            g = row.get(f"participation__{group}") or UNSHARED
            if row["question_id"] != question.id or g not in table:
                continue
            index = row["option"] if "option" in row and row.get("option") is not None else \
                row["value"] - question.scale_min
            table[g][index] = row["n"]
        tables[question.id] = suppress(table, k) if table else {}
    return {"sizes": sizes, "questions": tables}
