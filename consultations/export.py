"""The CSV export: released aggregates, then released texts fetched in pages (constant memory)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

from consultations import results, review
from consultations.models import Consultation


def _line(*cells) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    return buffer.getvalue()


async def csv_rows(consultation: Consultation, locale: str, fewer: str) -> AsyncIterator[str]:
    figures = await results.compute(consultation, locale)

    def cell(value):
        return fewer if value is None else value

    yield _line("section", "question", "option", "count", "share_or_score")
    yield _line("respondents", "", "", cell(figures["respondents"]), "")
    for question in figures["questions"]:
        for row in question["rows"]:
            extra = row.get("share") if "share" in row else row.get("score")
            if isinstance(extra, float):
                extra = round(extra, 4)
            yield _line("aggregate", question["prompt"], row["label"], cell(row["count"]), "" if extra is None else extra)
    after = 0
    while True:
        page = await review.released_for(consultation.id, after_id=after, limit=1000)
        if not page:
            break
        for text in page:
            yield _line("text", text["question_id"], "", "", text["released_text"])
        after = page[-1]["id"]
