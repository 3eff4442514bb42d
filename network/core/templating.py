"""Jinja2 rendering with the request's locale, direction and formatting helpers."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from network.core import i18n
from network.core.assets import asset
from network.core.crypto import Unavailable
from network.core.i18n import lazy as _l
from network.core.settings import LOCALES

UNAVAILABLE = _l("(unavailable)")


@jinja2.pass_context
def _finalize(context, value):
    """A sealed value that did not open shows as unavailable, never as an error or as nothing."""
    if isinstance(value, Unavailable):
        return Markup('<span class="unavailable">%s</span>') % context["_"](UNAVAILABLE)
    return value


def build_environment(folders: list[Path], names: dict, filters: dict) -> jinja2.Environment:
    """One app's templates: the folders and names its packages registered, nobody else's."""
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(p)) for p in folders]),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        finalize=_finalize,
    )
    environment.globals.update(names)
    # Static files by their fingerprinted address, which browsers may keep for good.
    environment.globals["asset"] = asset
    environment.filters.update(filters)
    return environment


def request_locale(request: Request) -> str:
    cached = getattr(request.state, "locale", None)
    if cached:
        return cached
    settings = request.app.state.settings
    member = getattr(request.state, "member", None)
    locale = i18n.choose_locale(
        saved=getattr(member, "locale", None),
        query=request.query_params.get("lang"),
        cookie=request.cookies.get(i18n.LANG_COOKIE),
        accept_language=request.headers.get("accept-language"),
        default=settings.default_locale,
    )
    request.state.locale = locale
    return locale


def translator(request: Request):
    return partial(i18n.gettext, request_locale(request))


def language_links(request: Request) -> list[dict]:
    """Plain links for the switcher: they work without JavaScript and keep the current page."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    links = []
    for code in LOCALES:
        query = urlencode(params + [("lang", code)])
        links.append({"code": code, "name": i18n.NATIVE_NAMES[code], "href": f"{request.url.path}?{query}"})
    return links


def is_discreet(request: Request) -> bool:
    """The neutral face: through its entry address (network.core.middleware.DiscreetFace), for a member
    who chose it, or on a device that did."""
    member = getattr(request.state, "member", None)
    return getattr(request.state, "discreet_face", False) or bool(getattr(member, "discreet", False)) \
        or request.cookies.get("discreet") == "1"


def context_for(request: Request) -> dict:
    locale = request_locale(request)
    return {
        "request": request,
        "locale": locale,
        "dir": i18n.direction(locale),
        "_": partial(i18n.gettext, locale),
        "gettext": partial(i18n.gettext, locale),
        "ngettext": partial(i18n.ngettext, locale),
        "format_date": partial(i18n.format_date, locale=locale),
        "format_datetime": partial(i18n.format_datetime, locale=locale),
        "format_time": partial(i18n.format_time, locale=locale),
        # Digits in a figure formatted elsewhere (e.g. a period like "2026-03"), in the locale's own.
        "digits": partial(i18n.localise_digits, locale=locale),
        "format_number": partial(i18n.format_number, locale=locale),
        "format_money": lambda amount, currency: i18n.format_money(amount, currency, locale),
        "format_percent": partial(i18n.format_percent, locale=locale),
        "languages": language_links(request),
        "member": getattr(request.state, "member", None),
        "discreet": is_discreet(request),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "settings": request.app.state.settings,
    }


def render(request: Request, name: str, context: dict | None = None, status_code: int = 200,
           headers: dict | None = None) -> HTMLResponse:
    values = context_for(request)
    if context:
        values.update(context)
    html = request.app.state.runtime.templates.get_template(name).render(values)
    return HTMLResponse(html, status_code=status_code, headers=headers)
