"""The plain-text authoring format of the policymaker's phone form, turned into a ConsultationIn.

The draft is Markdown with a `## ` heading starting each section. Questions are one a line:

    single: Which matters most? | Housing | Health | Justice
    multiple 2: Which two? | A | B | C
    scale 1-5: How clear is it? | not clear | very clear
    ranking: Put these in order | A | B | C
    text 500: Anything else you want to tell us?
    comment 1: Your comments on section 1
A leading `*` marks a question as needed; free text is optional unless marked.
"""

from __future__ import annotations

import re

from consultations.schemas import ConsultationIn, QuestionIn, SectionIn
from network.core.i18n import lazy as _l
from network.core.refusal import Refused

_LINE = re.compile(r"^(\*)?\s*(single|multiple|scale|ranking|text|comment)\s*([0-9]+(?:-[0-9]+)?)?\s*:\s*(.+)$", re.I)


def split_sections(markdown: str) -> list[tuple[str, str]]:
    sections: list[tuple[str, list[str]]] = []
    for line in (markdown or "").replace("\r\n", "\n").split("\n"):
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
        elif line.strip():
            sections.append(("", [line]))
    return [(heading, "\n".join(body).strip()) for heading, body in sections]


def parse_questions(text: str, locale: str) -> list[QuestionIn]:
    questions = []
    for number, raw in enumerate((text or "").replace("\r\n", "\n").split("\n"), start=1):
        if not raw.strip():
            continue
        match = _LINE.match(raw.strip())
        if not match:
            raise Refused("question_format", _l("Question line %(line)s is not in the format shown."),
                          field="questions", line=number)
        star, kind, number_part, rest = match.groups()
        kind = kind.lower()
        parts = [p.strip() for p in rest.split("|")]
        prompt, options = parts[0], [p for p in parts[1:] if p]
        question = {"kind": kind, "prompt": {locale: prompt}, "required": bool(star)}
        if kind in ("single", "multiple", "ranking"):
            question["options"] = [{locale: o} for o in options]
            if kind == "multiple" and number_part:
                question["max_choices"] = int(number_part.split("-")[0])
        elif kind == "scale":
            low, _, high = (number_part or "1-5").partition("-")
            question.update(scale_min=int(low), scale_max=int(high or low))
            if options:
                question["scale_low_label"] = {locale: options[0]}
            if len(options) > 1:
                question["scale_high_label"] = {locale: options[1]}
        elif kind == "text" and number_part:
            question["max_length"] = int(number_part.split("-")[0])
        elif kind == "comment":
            question["section"] = int((number_part or "1").split("-")[0]) - 1
        questions.append(QuestionIn(**question))
    return questions


def from_form(form: dict, locale: str) -> ConsultationIn:
    try:
        k = int(form.get("k") or 5)
    except ValueError:
        k = 0
    if k < 3:
        raise Refused("k_too_small", _l("The smallest group shown must be at least 3 people."), field="k")
    sections = [SectionIn(heading={locale: h or "—"}, body={locale: b or "—"})
                for h, b in split_sections(form.get("draft", ""))]
    audience = {name: [v.strip() for v in form.get(name, "").split(",") if v.strip()]
                for name in ("languages", "regions", "age_bands")}
    return ConsultationIn(
        original_locale=locale, title={locale: form.get("title", "")}, summary={locale: form.get("summary", "")},
        consent_text={locale: form.get("consent_text", "")}, sections=sections,
        questions=parse_questions(form.get("questions", ""), locale), k=min(k, 1000), audience=audience,
    )


def to_form(consultation, sections, questions) -> dict:
    """The form's fields for editing, in the original language."""
    locale = consultation.original_locale

    def text(texts):
        return texts.get(locale, "")

    lines = []
    for q in questions:
        star = "*" if q.required else ""
        prompt = text(q.prompt)
        if q.kind in ("single", "ranking"):
            lines.append(f"{star}{q.kind}: " + " | ".join([prompt] + [text(o) for o in q.options]))
        elif q.kind == "multiple":
            lines.append(f"{star}multiple {q.max_choices}: " + " | ".join([prompt] + [text(o) for o in q.options]))
        elif q.kind == "scale":
            labels = [text(q.scale_labels.get("low", {})), text(q.scale_labels.get("high", {}))]
            lines.append(f"{star}scale {q.scale_min}-{q.scale_max}: " + " | ".join([prompt] + [x for x in labels if x]))
        elif q.kind == "text":
            lines.append(f"{star}text {q.max_length}: {prompt}")
        else:
            position = next((s.position for s in sections if s.id == q.section_id), 0)
            lines.append(f"{star}comment {position + 1}: {prompt}")
    audience = consultation.audience or {}
    return {
        "title": text(consultation.title), "summary": text(consultation.summary),
        "consent_text": text(consultation.consent_text), "k": consultation.k,
        "draft": "\n\n".join(f"## {text(s.heading)}\n\n{text(s.body)}" for s in sections),
        "questions": "\n".join(lines),
        **{name: ", ".join(audience.get(name, [])) for name in ("languages", "regions", "age_bands")},
    }
