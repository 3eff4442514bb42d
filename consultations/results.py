"""Results: what a release publishes, made once by one function from the answers, and every view of
it (page, JSON, CSV, charts) read from that release alone.

`figures` counts the answers with a handful of GROUP BY queries (their number does not grow with
the answers), lays each question out as one table (the overall counts, the breakdown by each shared
attribute, and the totals that bind them), and protects it with network.core.disclosure: small
counts, groups that all answered alike, and whatever the rest would let anyone work out, are
hidden together. A released figure is a number or None ("fewer than k").
"""

from __future__ import annotations

from tortoise.functions import Count, Sum

from consultations.models import Answer, Consultation, Participation, Question, SharedAnswer
from consultations.service import localized, questions_of
from network.core.disclosure import Table, protect, shown
from network.core.i18n import lazy as _l
from network.members.models import DIMENSIONS

FEWER = _l("fewer than %(k)s")
BREAKDOWNS = ("language", "region", "age_band", *DIMENSIONS)
COUNTED = ("single", "multiple", "scale", "ranking")
EXCLUSIVE = ("single", "scale")  # one answer each: a row's cells and "no answer" add up to its people


async def respondents(consultation: Consultation) -> int:
    return await Participation.filter(consultation=consultation, submitted=True).count()


def _width(question: Question) -> int:
    return question.scale_max - question.scale_min + 1 if question.kind == "scale" else len(question.options)


async def _overall(consultation: Consultation) -> dict:
    """(question, index) -> people; ranking also (question, index, "rank_sum")."""
    submitted = Answer.filter(participation__consultation_id=consultation.id, participation__submitted=True)
    counts: dict = {}
    for row in await (submitted.filter(option__not_isnull=True).annotate(n=Count("participation_id", distinct=True),
                                                                          ranks=Sum("rank"))
                      .group_by("question_id", "option").values("question_id", "option", "n", "ranks")):
        counts[(row["question_id"], row["option"])] = row["n"]
        counts[(row["question_id"], row["option"], "rank_sum")] = row["ranks"] or 0
    for row in await (submitted.filter(value__not_isnull=True).annotate(n=Count("id"))
                      .group_by("question_id", "value").values("question_id", "value", "n")):
        counts[(row["question_id"], "value", row["value"])] = row["n"]
    for row in await (submitted.filter(text__isnull=True).annotate(n=Count("participation_id", distinct=True))
                      .group_by("question_id").values("question_id", "n")):
        counts[(row["question_id"], "answered")] = row["n"]
    return counts


async def _shared(consultation: Consultation) -> dict:
    """(attribute, value) -> people, and (attribute, value, question, index) -> people."""
    counts: dict = {}
    rows = await (SharedAnswer.filter(consultation=consultation)
                  .annotate(n=Count("id")).group_by("attribute", "value", "question_id", "option", "scale")
                  .values("attribute", "value", "question_id", "option", "scale", "n"))
    for row in rows:
        if row["question_id"] is None:
            counts[(row["attribute"], row["value"])] = row["n"]
        else:
            index = row["option"] if row["option"] is not None else ("value", row["scale"])
            counts[(row["attribute"], row["value"], row["question_id"], index)] = row["n"]
    return counts


def _cell(question: Question, counts: dict, index: int) -> int:
    if question.kind == "scale":
        return counts.get((question.id, "value", question.scale_min + index), 0)
    return counts.get((question.id, index), 0)


def _group_cell(question: Question, shared: dict, attribute: str, value: str, index: int) -> int:
    key = ("value", question.scale_min + index) if question.kind == "scale" else index
    return shared.get((attribute, value, question.id, key), 0)


def _question_table(question: Question, total: int, counts: dict, shared: dict, groups: dict) -> tuple:
    """The question's table: overall cells, each published group's cells, the groups too small to
    show folded into "others" (never published), and the sums that bind them."""
    width = _width(question)
    table = Table(values={}, counts=set())
    alike = []

    def put(key, value, people, never=False):
        table.values[key] = value
        table.counts.add(key)
        table.upper[key] = people
        if never:
            table.never.add(key)

    overall = [("all", i) for i in range(width)]
    for i, key in enumerate(overall):
        put(key, _cell(question, counts, i), total)
    put("respondents", total, total)
    table.fixed.add("respondents")
    if question.kind in EXCLUSIVE:
        put(("all", "none"), max(0, total - counts.get((question.id, "answered"), 0)), total)
        table.sums.append(([*overall, ("all", "none")], "respondents"))
        alike.append((overall, "respondents"))
    for attribute, published in groups.items():
        others_size = total - sum(published.values())
        for i in range(width):
            parts = []
            for value, size in published.items():
                put((attribute, value, i), _group_cell(question, shared, attribute, value, i), size)
                parts.append((attribute, value, i))
            rest = table.values[("all", i)] - sum(table.values[p] for p in parts)
            put((attribute, "others", i), max(0, rest), others_size, never=True)
            table.sums.append(([*parts, (attribute, "others", i)], ("all", i)))
        if question.kind in EXCLUSIVE:
            nones = []
            for value, size in published.items():
                row = [(attribute, value, i) for i in range(width)]
                none = max(0, size - sum(table.values[p] for p in row))
                put((attribute, value, "none"), none, size, never=True)
                put((attribute, value, "size"), size, total)
                table.fixed.add((attribute, value, "size"))
                table.sums.append(([*row, (attribute, value, "none")], (attribute, value, "size")))
                alike.append((row, (attribute, value, "size")))
                nones.append((attribute, value, "none"))
            row = [(attribute, "others", i) for i in range(width)]
            put((attribute, "others", "none"), max(0, others_size - sum(table.values[p] for p in row)), others_size,
                never=True)
            put((attribute, "others", "size"), others_size, total)
            table.sums.append(([*row, (attribute, "others", "none")], (attribute, "others", "size")))
            table.sums.append(([*nones, (attribute, "others", "none")], ("all", "none")))
    return table, alike


def _yes_no(question: Question, table: Table, k: int, groups: dict, total: int) -> set:
    """Multiple choice: each option is a yes or no; a small "no" (or everyone alike) tells as much as a small yes."""
    hidden = set()
    for key, value in table.values.items():
        if key in table.never or not (isinstance(key, tuple) and isinstance(key[-1], int)):
            continue
        people = total if key[0] == "all" else groups[key[0]][key[1]]
        if value == people or 0 < people - value < k:
            hidden.add(key)
    return hidden


async def figures(consultation: Consultation) -> dict:
    """The release: every figure that may be published, protected together."""
    k = consultation.k
    total = await respondents(consultation)
    if total < k:
        return {"k": k, "respondents": None, "questions": [], "breakdowns": {}}
    counts, shared = await _overall(consultation), await _shared(consultation)
    # Groups are published only from k people up, whatever they answered; the rest are "others".
    groups = {attribute: {key[1]: n for key, n in shared.items() if len(key) == 2 and key[0] == attribute and n >= k}
              for attribute in BREAKDOWNS}
    groups = {attribute: published for attribute, published in groups.items() if published}
    released: dict = {"k": k, "respondents": total, "questions": [], "breakdowns": {
        attribute: {"groups": list(published), "sizes": list(published.values()), "questions": {}}
        for attribute, published in groups.items()}}
    for question in await questions_of(consultation):
        if question.kind not in COUNTED:
            continue
        table, alike = _question_table(question, total, counts, shared, groups if question.kind != "ranking" else {})
        # Ranking counts who ranked an option (everyone, as a rule): only the small ones are hidden.
        first = _yes_no(question, table, k, groups, total) if question.kind == "multiple" else ()
        values = shown(table, protect(table, k, alike, also=first))
        width = _width(question)
        entry = {"id": question.id, "kind": question.kind, "cells": [values[("all", i)] for i in range(width)]}
        if question.kind in EXCLUSIVE:
            entry["no_answer"] = values[("all", "none")]
        if question.kind == "ranking":
            # A Borda score (first place scores most), for options whose count is shown.
            entry["scores"] = [None if values[("all", i)] is None else
                               values[("all", i)] * (width + 1) - counts.get((question.id, i, "rank_sum"), 0)
                               for i in range(width)]
        released["questions"].append(entry)
        for attribute, published in (groups.items() if question.kind != "ranking" else ()):
            released["breakdowns"][attribute]["questions"][str(question.id)] = [
                [values[(attribute, value, i)] for i in range(width)] for value in published]
    return released


def view(release: dict, questions: list[Question], locale: str, original: str) -> dict:
    """What the pages show, derived from the release alone (shares and means from its counts)."""
    by_id = {q.id: q for q in questions}
    total = release.get("respondents")
    out = {"k": release["k"], "respondents": total, "shown": total is not None, "questions": [], "breakdowns": {}}
    for entry in release.get("questions", []):
        question = by_id.get(entry["id"])
        if question is None:
            continue
        labels = [str(v) for v in range(question.scale_min, question.scale_max + 1)] if question.kind == "scale" \
            else [localized(o, locale, original) for o in question.options]
        rows = []
        for i, count in enumerate(entry["cells"]):
            row = {"label": labels[i], "count": count,
                   "share": None if count is None or not total else count / total}
            if "scores" in entry:
                row["score"] = entry["scores"][i]
            rows.append(row)
        item = {"id": question.id, "kind": question.kind, "prompt": localized(question.prompt, locale, original),
                "rows": rows, "no_answer": entry.get("no_answer")}
        counts = entry["cells"]
        if question.kind == "scale" and all(c is not None for c in counts) and sum(counts):
            item["mean"] = sum((question.scale_min + i) * c for i, c in enumerate(counts)) / sum(counts)
        out["questions"].append(item)
    for attribute, data in release.get("breakdowns", {}).items():
        out["breakdowns"][attribute] = {
            "sizes": dict(zip(data["groups"], data["sizes"])),
            "questions": {int(qid): dict(zip(data["groups"], rows)) for qid, rows in data["questions"].items()}}
    return out
