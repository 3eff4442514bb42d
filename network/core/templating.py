"""Jinja2 rendering with the request's locale, direction and formatting helpers."""

from __future__ import annotations

from contextvars import ContextVar
from functools import lru_cache, partial
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import jinja2
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from network.core import i18n
from network.core.assets import asset
from network.core.crypto import Unavailable
from network.core.i18n import lazy as _l
from network.core.settings import LOCALES

UNAVAILABLE = _l("(unavailable)")


# (locale, CSRF token) of the page being written; set by render() around the template's render.
_page: ContextVar[tuple[str, str]] = ContextVar("page", default=("en", ""))


def _page_gettext(message: str, **params) -> str:
    return i18n.gettext(_page.get()[0], message, **params)


@jinja2.pass_context
def _finalize(context, value):
    """A sealed value that did not open shows as unavailable, never as an error or as nothing."""
    if isinstance(value, Unavailable):
        return Markup('<span class="unavailable">%s</span>') % context["_"](UNAVAILABLE)
    return value


def fill(written: Markup, values: dict) -> Markup:
    """A fragment written once with `__name__` placeholders, each replaced by its (escaped) value: for
    a form repeated on every item of a list that differs only in ids, so it is not written anew for each."""
    written = written if isinstance(written, Markup) else escape(written)
    for name, value in values.items():
        written = written.replace(f"__{name}__", escape(str(value)))
    return written


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
    # The shared macros are imported without context, so Jinja builds each macro file once rather
    # than once a page; they read the page's language and CSRF token from the page being written.
    environment.globals["_"] = _page_gettext
    environment.globals["page_csrf_token"] = lambda: _page.get()[1]
    # Static files by their fingerprinted address, which browsers may keep for good.
    environment.globals["asset"] = asset
    environment.filters["fill"] = fill
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
    path, query = request.url.path, request.scope.get("query_string", b"")
    # The same for every visit to a page, so written once for it; never kept for an address with a
    # query (it may hold an invitation code or a search) or an unusually long one (anyone can send it).
    if not query and len(path) <= 100:
        return _page_language_links(path)
    return _language_links(path, query)


def _language_links(path: str, query_string: bytes) -> list[dict]:
    params = [(k, v) for k, v in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True) if k != "lang"]
    return [{"code": code, "name": i18n.NATIVE_NAMES[code], "href": f"{path}?{urlencode(params + [('lang', code)])}"}
            for code in LOCALES]


@lru_cache(maxsize=512)
def _page_language_links(path: str) -> list[dict]:
    return _language_links(path, b"")


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
    page = _page.set((values["locale"], values["csrf_token"]))
    try:
        html = request.app.state.runtime.templates.get_template(name).render(values)
    finally:
        _page.reset(page)
    return HTMLResponse(html, status_code=status_code, headers=headers)
