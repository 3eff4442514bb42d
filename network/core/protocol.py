"""uvicorn's HTTP protocol, answering what it cannot parse (a malformed Content-Length, a URL past
its limit) the way the app answers: our error body in the site's language, our security headers,
JSON under /api/. Everything it can parse reaches the app, which has its own limits."""

from __future__ import annotations

import json
import os
from html import escape

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from network.core import i18n
from network.core.errors import STATUS
from network.core.middleware import SECURITY_HEADERS, content_security_policy
from network.core.settings import LOCALES

_, TITLE, EXPLANATION = STATUS[400]


def _locale() -> str:
    locale = os.environ.get("SURVNET_DEFAULT_LOCALE", "en")
    return locale if locale in LOCALES else "en"


def bad_request(api: bool) -> tuple[bytes, bytes]:
    """The body and its media type for a request too malformed to reach the app."""
    locale = _locale()
    title, explanation = i18n.gettext(locale, TITLE), i18n.gettext(locale, EXPLANATION)
    if api:
        body = json.dumps({"error": {"code": "bad_request", "message": explanation}}, ensure_ascii=False)
        return body.encode(), b"application/json"
    page = (f'<!doctype html><html lang="{locale}" dir="{i18n.direction(locale)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
            f'</head><body><main><h1>{escape(title)}</h1><p>{escape(explanation)}</p></main></body></html>')
    return page.encode(), b"text/html; charset=utf-8"


class Protocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        api = bytes(getattr(self, "url", b"") or b"").startswith(b"/api/")
        body, media_type = bad_request(api)
        headers = [(b"content-type", media_type), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close"), (b"cache-control", b"no-store"),
                   (b"content-security-policy", content_security_policy().encode()), *SECURITY_HEADERS]
        self.transport.write(b"HTTP/1.1 400 Bad Request\r\n" + b"".join(n + b": " + v + b"\r\n" for n, v in headers)
                             + b"\r\n" + body)
        self.transport.close()
