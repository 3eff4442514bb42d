"""Results computed by aggregate queries, with small groups suppressed (and their complements).

The number of queries does not grow with the number of answers: a handful of GROUP BY queries
per consultation, whatever its size. Nothing is shown before k members have submitted; any cell
under k shows "fewer than k"; and when a row or column would have a single hidden cell, the
next smallest is hidden too, so no hidden cell can be worked out from the totals.
"""

from __future__ import annotations

from html import escape

from tortoise.functions import Count, Sum

from consultations.models import Answer, Consultation, Participation, Question
from consultations.service import localized, questions_of
from network.i18n import lazy as _l

HIDDEN = None  # a suppressed cell
FEWER = _l("fewer than %(k)s")
BREAKDOWNS = ("language", "region", "age_band")
UNSHARED = "unshared"


def suppress(table: dict, k: int) -> dict:
    """Suppresses a table {row: {column: count}} in place of a copy; hidden cells become None.

    Row totals and column totals are taken as published, so each row and column with a hidden
    cell gets at least two."""
    out = {row: dict(cols) for row, cols in table.items()}
    for row in out.values():
        for col, count in row.items():
            if count is not None and 0 < count < k:
                row[col] = HIDDEN
    changed = True
    while changed:
        changed = False
        lines = [[(r, c) for c in out[r]] for r in out]
        columns: dict = {}
        for r in out:
            for c in out[r]:
                columns.setdefault(c, []).append((r, c))
        for line in lines + list(columns.values()):
            hidden = [cell for cell in line if out[cell[0]][cell[1]] is HIDDEN]
            if len(hidden) != 1:
                continue
            visible = [cell for cell in line if out[cell[0]][cell[1]] not in (HIDDEN, 0)]
            if visible:
                r, c = min(visible, key=lambda cell: out[cell[0]][cell[1]])
                out[r][c] = HIDDEN
                changed = True
    return out


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


def bar_chart(rows: list[dict], label_hidden: str, width: int = 320) -> str:
    """A small server-rendered SVG bar chart; hidden cells are drawn as a hatched empty bar."""
    bar, gap, label_w = 18, 8, 120
    height = len(rows) * (bar + gap) + gap
    top = max([r["count"] for r in rows if r["count"] is not HIDDEN] + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
             f'width="100%" role="img" aria-hidden="true">']
    for i, row in enumerate(rows):
        y = gap + i * (bar + gap)
        label = escape(row["label"][:18])
        parts.append(f'<text x="0" y="{y + 13}" font-size="11" fill="#1d2433">{label}</text>')
        if row["count"] is HIDDEN:
            parts.append(f'<rect x="{label_w}" y="{y}" width="{width - label_w - 40}" height="{bar}" '
                         f'fill="none" stroke="#9aa1ad" stroke-dasharray="4 3"/>')
            parts.append(f'<text x="{label_w + 6}" y="{y + 13}" font-size="10" fill="#5a6376">'
                         f'{escape(label_hidden)}</text>')
        else:
            length = (width - label_w - 40) * row["count"] / top
            parts.append(f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar}" fill="#2f5d62"/>')
            parts.append(f'<text x="{label_w + length + 4:.1f}" y="{y + 13}" font-size="11" fill="#1d2433">'
                         f'{row["count"]}</text>')
    parts.append("</svg>")
    return "".join(parts)
