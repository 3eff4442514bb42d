"""What the consultation pages and the API show of a consultation, in the reader's language."""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request

from consultations import service
from network.core.i18n import gettext
from network.core.i18n import lazy as _l
from network.core.templating import request_locale
from network.members.labels import AGE_BAND_LABELS, DIMENSION_LABELS, DIMENSION_VALUE_LABELS
from network.members.profiles import language_names, region_names

STATUS_NAMES = {"draft": _l("Draft"), "open": _l("Open"), "closed": _l("Closed"), "published": _l("Outcome published")}
GROUP_NAMES = {"language": _l("Language"), "region": _l("Country or region"), "age_band": _l("Age"),
               **DIMENSION_LABELS}
# The names and filters its templates use, registered by setup().
TEMPLATE_NAMES = {"status_names": STATUS_NAMES, "group_names": GROUP_NAMES}
TEMPLATE_FILTERS = {"fromiso": datetime.fromisoformat}


def localizer(request: Request, consultation):
    locale = request_locale(request)
    return lambda texts: service.localized(texts, locale, consultation.original_locale)


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
    youth = service.youth_version(consultation, request.state.member)
    return {
        **summary(request, consultation),
        "consent_text": t(consultation.youth_consent_text if youth else consultation.consent_text),
        "youth_version": youth, "consent_version": consultation.consent_version,
        "consent_previous": t(consultation.consent_previous) if consultation.consent_previous else "",
        "sections": [{"id": s.id, "position": s.position, "heading": t(s.heading), "body": t(s.body),
                      "changed_since_read": bool(read) and s.changed_in_version > read} for s in sections],
        "questions": [question_view(t, q) for q in questions],
        "me": {"consented": participation is not None,
               "consent_current": bool(participation) and participation.consent_version == consultation.consent_version,
               "submitted": bool(participation and participation.submitted)},
    }




def given_from_saved(saved: dict[int, list]) -> dict[int, dict]:
    """Saved answers in the shape the answers form is filled from (see given_from_form)."""
    given: dict[int, dict] = {}
    for question_id, answers in saved.items():
        given[question_id] = {
            "options": {a.option for a in answers if a.option is not None},
            "ranks": {a.option: a.rank for a in answers if a.rank is not None},
            "value": next((a.value for a in answers if a.value is not None), None),
            "text": next((a.text for a in answers if a.text), "")}
    return given


def _number(raw: str) -> int | None:
    try:
        return int(raw)
    except ValueError:
        return None


def given_from_form(values: dict[str, list[str]], questions) -> dict[int, dict]:
    """What the member sent, as they sent it, so a refused form comes back as they left it (a free
    text exactly as typed, even over the limit; a number that is not one is simply not ticked)."""
    given: dict[int, dict] = {}
    for q in questions:
        name = f"q{q.id}"
        sent = values.get(name, [])
        numbers = [n for n in (_number(v) for v in sent) if n is not None]
        ranks = {index: _number((values.get(f"{name}_{index}") or [""])[-1]) for index in range(len(q.options))}
        given[q.id] = {
            "options": set(numbers) if q.kind in ("single", "multiple") else set(),
            "ranks": {index: rank for index, rank in ranks.items() if rank is not None},
            "value": numbers[-1] if q.kind == "scale" and numbers else None,
            "text": sent[-1] if q.kind in ("text", "comment") and sent else ""}
    return given


def group_labels(locale: str) -> dict[str, dict[str, str]]:
    """The names a breakdown's stored codes are shown under, in the reader's language."""
    return {"language": language_names(locale), "region": region_names(locale),
            "age_band": {code: gettext(locale, label) for code, label in AGE_BAND_LABELS.items()},
            **{name: {code: gettext(locale, label) for code, label in values.items()}
               for name, values in DIMENSION_VALUE_LABELS.items()}}


async def released(request: Request, consultation, release) -> dict | None:
    """A release as the pages show it, in the reader's language (None before the first release)."""
    from consultations import results, service

    if release is None:
        return None
    locale = request_locale(request)
    shown = results.view(release.figures, await service.questions_of(consultation), locale,
                         consultation.original_locale)
    shown.update(number=release.number, final=release.final, released_on=release.released_on.isoformat())
    labels = group_labels(locale)
    for attribute, data in shown["breakdowns"].items():
        data["labels"] = {code: labels.get(attribute, {}).get(code, code) for code in data["sizes"]}
    return shown


def release_json(release) -> dict:
    """A release as the API gives it: the numbers exactly as released, keyed by question and option."""
    return {"number": release.number, "final": release.final, "released_on": release.released_on.isoformat(),
            **release.figures}


def rtl(locale: str) -> bool:
    from network.core.i18n import direction

    return direction(locale) == "rtl"
