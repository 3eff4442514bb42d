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

from pydantic import ValidationError

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
        try:
            questions.append(QuestionIn(**question))
        except ValidationError:
            raise Refused("question_limits",
                          _l("Question line %(line)s has a number or a text beyond what is allowed."),
                          field="questions", line=number) from None
    return questions


def from_form(form: dict, locale: str) -> ConsultationIn:
    try:
        k = int(form.get("k") or 5)
    except ValueError:
        k = 0
    if k < 3:
        raise Refused("k_too_small", _l("The smallest group shown must be at least 3 people."), field="k")
    sections = []
    for number, (heading, body) in enumerate(split_sections(form.get("draft", "")), start=1):
        try:
            sections.append(SectionIn(heading={locale: heading or "—"}, body={locale: body or "—"}))
        except ValidationError:
            raise Refused("section_limits", _l("Section %(num)s of the draft is longer than allowed."), field="draft",
                          num=number) from None
    audience = {name: [v.strip() for v in form.get(name, "").split(",") if v.strip()]
                for name in ("languages", "regions", "age_bands")}
    summary = form.get("summary", "")  # optional: left empty, there is none (an empty text is refused)
    return ConsultationIn(
        original_locale=locale, title={locale: form.get("title", "")},
        summary={locale: summary} if summary.strip() else {},
        consent_text={locale: form.get("consent_text", "")}, sections=sections,
        youth_consent_text={locale: youth} if (youth := form.get("youth_consent_text", "")).strip() else {},
        questions=parse_questions(form.get("questions", ""), locale), k=min(k, 1000), audience=audience,
    )


def _kept(old: dict | None, new: dict, locale: str) -> dict:
    """A text's other languages survive an edit where the text they translate did not change."""
    old = old or {}
    return {**old, **new} if old.get(locale) == new.get(locale) else new


def keep_translations(data: ConsultationIn, consultation, sections, questions) -> ConsultationIn:
    """The form edits one language; the translations of what it left as it was are kept, so an edit
    loses no language (and a changed text drops translations that no longer say the same)."""
    locale = data.original_locale
    if locale != consultation.original_locale:
        return data
    for name in ("title", "summary", "consent_text", "youth_consent_text"):
        setattr(data, name, _kept(getattr(consultation, name), getattr(data, name), locale))
    for new, old in zip(data.sections, sections):
        new.heading, new.body = _kept(old.heading, new.heading, locale), _kept(old.body, new.body, locale)
    for new, old in zip(data.questions, questions):
        if new.kind != old.kind:
            continue
        new.prompt = _kept(old.prompt, new.prompt, locale)
        new.options = [_kept(o, n, locale) for n, o in zip(new.options, old.options or [])] + \
            new.options[len(old.options or []):]
        labels = old.scale_labels or {}
        new.scale_low_label = _kept(labels.get("low"), new.scale_low_label, locale)
        new.scale_high_label = _kept(labels.get("high"), new.scale_high_label, locale)
    return data


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
        "youth_consent_text": text(consultation.youth_consent_text or {}),
        "draft": "\n\n".join(f"## {text(s.heading)}\n\n{text(s.body)}" for s in sections),
        "questions": "\n".join(lines),
        **{name: ", ".join(audience.get(name, [])) for name in ("languages", "regions", "age_bands")},
    }


# Where a refusal's field (the service's or the body's names) is in the phone form.
_FORM_FIELDS = {"title": "title", "summary": "summary", "consent_text": "consent_text", "k": "k",
                "youth_consent_text": "youth_consent_text",
                "questions": "questions", "sections": "draft", "draft": "draft", "audience.languages": "languages",
                "audience.regions": "regions", "audience.age_bands": "age_bands", "audience": "languages",
                "heard": "heard", "will_do": "will_do"}


def form_field(field: str | None) -> str | None:
    """The form field a refusal is about ("questions.2.prompt.en" is the questions box), if any."""
    parts = (field or "").split(".")
    return _FORM_FIELDS.get(".".join(parts[:2])) or _FORM_FIELDS.get(parts[0])


def outcome_form(consultation) -> dict:
    """The outcome's fields for editing, in the original language: publishing again replaces it."""
    locale = consultation.original_locale
    return {"heard": (consultation.outcome_heard or {}).get(locale, ""),
            "will_do": (consultation.outcome_will_do or {}).get(locale, "")}
