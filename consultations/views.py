"""What the consultation pages and the API show of a consultation, in the reader's language."""

from __future__ import annotations

from datetime import datetime

from markdown_it import MarkdownIt
from markupsafe import Markup
from starlette.requests import Request

from consultations import service
from network.core.i18n import lazy as _l
from network.core.templating import request_locale

_markdown = MarkdownIt("commonmark", {"html": False}).disable("image")

STATUS_NAMES = {"draft": _l("Draft"), "open": _l("Open"), "closed": _l("Closed"), "published": _l("Outcome published")}
GROUP_NAMES = {"language": _l("Language"), "region": _l("Country or region"), "age_band": _l("Age")}
# The names and filters its templates use, registered by setup().
TEMPLATE_NAMES = {"status_names": STATUS_NAMES, "group_names": GROUP_NAMES}
TEMPLATE_FILTERS = {"fromiso": datetime.fromisoformat}


def markdown(text: str) -> Markup:
    """Policy drafts in Markdown: raw HTML and images off (no request to another site)."""
    return Markup(_markdown.render(text or ""))


def localizer(request: Request, consultation):
    locale = request_locale(request)
    return lambda texts: service.localized(texts or {}, locale, consultation.original_locale)


def summary(request: Request, consultation) -> dict:
    t = localizer(request, consultation)
    return {"id": consultation.id, "title": t(consultation.title), "summary": t(consultation.summary),
            "status": consultation.status, "version": consultation.version,
            "opens_at": consultation.opens_at.isoformat() if consultation.opens_at else None,
            "closes_at": consultation.closes_at.isoformat() if consultation.closes_at else None}


def question_view(t, question) -> dict:
    view = {"id": question.id, "kind": question.kind, "prompt": t(question.prompt), "required": question.required}
    if question.options:
        view["options"] = [t(o) for o in question.options]
    if question.kind == "multiple":
        view["max_choices"] = question.max_choices
    if question.kind == "scale":
        view.update(scale_min=question.scale_min, scale_max=question.scale_max,
                    low_label=t(question.scale_labels.get("low", {})), high_label=t(question.scale_labels.get("high", {})))
    if question.kind in ("text", "comment"):
        view["max_length"] = question.max_length
    if question.section_id:
        view["section_id"] = question.section_id
    return view


async def detail(request: Request, consultation, participation) -> dict:
    t = localizer(request, consultation)
    sections = await service.sections_of(consultation)
    questions = await service.questions_of(consultation)
    read = participation.read_version if participation else 0
    return {
        **summary(request, consultation),
        "consent_text": t(consultation.consent_text), "consent_version": consultation.consent_version,
        "consent_previous": t(consultation.consent_previous) if consultation.consent_previous else "",
        "sections": [{"id": s.id, "position": s.position, "heading": t(s.heading), "body": t(s.body),
                      "changed_since_read": bool(read) and s.changed_in_version > read} for s in sections],
        "questions": [question_view(t, q) for q in questions],
        "me": {"consented": participation is not None,
               "consent_current": bool(participation) and participation.consent_version == consultation.consent_version,
               "submitted": bool(participation and participation.submitted)},
    }




async def released(request: Request, consultation, release) -> dict | None:
    """A release as the pages show it, in the reader's language (None before the first release)."""
    from consultations import results, service

    if release is None:
        return None
    shown = results.view(release.figures, await service.questions_of(consultation), request_locale(request),
                         consultation.original_locale)
    shown.update(number=release.number, final=release.final, released_on=release.released_on.isoformat())
    return shown


def release_json(release) -> dict:
    """A release as the API gives it: the numbers exactly as released, keyed by question and option."""
    return {"number": release.number, "final": release.final, "released_on": release.released_on.isoformat(),
            **release.figures}


def rtl(locale: str) -> bool:
    from network.core.i18n import direction

    return direction(locale) == "rtl"
