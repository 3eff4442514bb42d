"""Security headers on every response, localised errors, JSON errors under /api, page weight."""

import gzip
import re

import httpx
import pytest
from starlette.routing import Route

PATHS = ["/", "/healthz", "/static/css/app.css", "/missing-page", "/api/v1/missing"]


@pytest.mark.parametrize("path", PATHS)
async def test_security_headers_on_every_response(client, path):
    response = await client.get(path)
    headers = response.headers
    csp = headers["content-security-policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in headers["permissions-policy"]
    assert "server" not in headers


async def test_pages_have_no_inline_script_or_style_and_no_other_site(client):
    html = (await client.get("/")).text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html and " style=" not in html
    for url in re.findall(r'(?:src|href|action)="([^"]+)"', html):
        assert url.startswith("/") or url.startswith("#"), url


def test_static_files_name_no_other_site():
    from network.core.settings import ROOT

    for folder in ("static", "network/templates"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".css", ".js", ".html"}:
                text = path.read_text()
                assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.I), path


async def test_html_404_is_localised(client):
    response = await client.get("/no-such-page?lang=fr")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert 'lang="fr"' in response.text and "Page introuvable" in response.text


async def test_api_errors_are_json(client):
    response = await client.get("/api/v1/no-such-thing", headers={"accept-language": "es"})
    assert response.status_code == 404
    body = response.json()
    assert body["error"]["code"] == "not_found"
    assert body["error"]["message"] and body["error"]["message"] != "Page not found"


async def test_500_page_is_localised_and_keeps_the_headers(app):
    async def boom(request):
        raise RuntimeError("kaboom")

    async def api_boom(request):
        raise RuntimeError("kaboom")

    app.router.routes.insert(0, Route("/boom", boom))
    app.router.routes.insert(0, Route("/api/v1/boom", api_boom))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        page = await http.get("/boom?lang=ar")
        api = await http.get("/api/v1/boom")
    assert page.status_code == 500 and 'dir="rtl"' in page.text and "kaboom" not in page.text
    assert "content-security-policy" in page.headers
    assert api.status_code == 500 and api.json()["error"]["code"] == "server_error"


async def test_home_page_with_its_css_and_js_fits_the_budget(client):
    total = 0
    html = (await client.get("/")).text
    total += len(gzip.compress(html.encode()))
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        total += len(gzip.compress((await client.get(asset)).content))
    assert total < 60 * 1024


def test_no_log_line_holds_a_client_address(live_server):
    for path in ("/", "/healthz", "/missing", "/api/v1/missing"):
        httpx.get(live_server.url + path, headers={"x-forwarded-for": "203.0.113.77", "x-real-ip": "198.51.100.23"})
    logs = live_server.logs()
    assert "GET / 200" in logs, "the access log is on"
    for address in ("127.0.0.1", "203.0.113.77", "198.51.100.23"):
        assert address not in logs.replace(live_server.url, "")
