"""The CSV export: a release's figures, then released texts fetched in pages (constant memory)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from consultations import review
from consultations.models import Consultation
from network.core.spreadsheets import line


async def csv_rows(consultation: Consultation, shown: dict | None, fewer: str) -> AsyncIterator[str]:
    """`shown`: results.view of the release (None before the first release: texts only)."""
    def value(number):
        return fewer if number is None else number

    yield line("section", "question", "option", "count", "share_or_score")
    if shown is not None:
        yield line("respondents", "", "", value(shown["respondents"]), "")
        for question in shown["questions"]:
            for row in question["rows"]:
                extra = row.get("score") if question["kind"] == "ranking" else row.get("share")
                if isinstance(extra, float):
                    extra = round(extra, 4)
                yield line("aggregate", question["prompt"], row["label"], value(row["count"]),
                           "" if extra is None else extra)
            if question["kind"] in ("single", "scale"):
                yield line("aggregate", question["prompt"], "(no answer)", value(question["no_answer"]), "")
        for attribute, data in shown["breakdowns"].items():
            for group, size in data["sizes"].items():
                yield line(f"group:{attribute}", "", group, value(size), "")
            for question in shown["questions"]:
                for group, cells in data["questions"].get(question["id"], {}).items():
                    for row, number in zip(question["rows"], cells):
                        yield line(f"breakdown:{attribute}:{group}", question["prompt"], row["label"], value(number), "")
    after = 0
    while True:
        page = await review.released_for(consultation.id, after_id=after, limit=1000)
        if not page:
            break
        for text in page:
            yield line("text", text["question_id"], "", "", text["released_text"])
        after = page[-1]["id"]
