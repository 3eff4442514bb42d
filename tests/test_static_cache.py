"""Static files are kept by the browser (fingerprinted, immutable); pages for members never are."""

from __future__ import annotations

import re

import pytest

from network.core import assets
from network.core.assets import Assets, MissingAsset
from network.core.settings import ROOT
from tests.helpers import make_member, signed_in

IMMUTABLE = "public, max-age=31536000, immutable"


def _linked(html: str) -> dict[str, str]:
    found = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    return {re.sub(r"^/static/[0-9a-f]{12}/", "", url): url for url in found}


async def test_a_signed_in_member_gets_fingerprinted_files_kept_for_good(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        page = await http.get("/")
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        linked = _linked(page.text)
        assert {"css/app.css", "js/app.js", "icons/favicon.svg"} <= set(linked)
        css = (ROOT / "static" / "css" / "app.css").read_text()
        for name in ("css/app.css", "js/app.js", "icons/favicon.svg"):
            url = linked[name]
            assert re.fullmatch(rf"/static/[0-9a-f]{{12}}/{re.escape(name)}", url), url
            response = await http.get(url)
            assert response.status_code == 200, url
            assert response.headers["cache-control"] == IMMUTABLE, url
            assert "no-store" not in response.headers.get("cache-control", "")
        assert (await http.get(linked["css/app.css"])).text == css


async def test_plain_addresses_still_work_briefly_cached_never_no_store(app, client):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        for who in (http, client):
            response = await who.get("/static/css/app.css")
            assert response.status_code == 200
            control = response.headers["cache-control"]
            assert "no-store" not in control and "immutable" not in control and "max-age=" in control


async def test_a_stale_fingerprint_gets_todays_file_not_kept_for_good(client):
    response = await client.get("/static/000000000000/css/app.css")
    assert response.status_code == 200
    assert response.text == (ROOT / "static" / "css" / "app.css").read_text()
    assert "immutable" not in response.headers["cache-control"]


async def test_missing_and_escaping_paths_are_not_found(client):
    for path in ("/static/000000000000/css/none.css", "/static/css/none.css",
                 "/static/000000000000/../../pyproject.toml", "/static/%2e%2e/pyproject.toml"):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "immutable" not in response.headers.get("cache-control", "")


async def test_signed_in_pages_stay_no_store(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        for path in ("/", "/me", "/safety", "/api/v1/me"):
            response = await http.get(path)
            assert response.status_code == 200, path
            assert response.headers["cache-control"] == "no-store", path


async def test_favicon_and_manifest_keep_working(app, client):
    assert (await client.get("/favicon.ico")).status_code == 200
    manifest = await client.get("/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest.json()["icons"]
    member = await make_member(app)
    async with signed_in(app, member) as http:
        assert (await http.get("/manifest.webmanifest")).headers["cache-control"] == "no-store"


def test_a_changed_file_gets_a_new_address(tmp_path):
    (tmp_path / "css").mkdir()
    style = tmp_path / "css" / "app.css"
    style.write_text("body { color: black; }")
    before = Assets(tmp_path).url("css/app.css")
    assert Assets(tmp_path).url("css/app.css") == before
    style.write_text("body { color: navy; }")
    after = Assets(tmp_path).url("css/app.css")
    assert after != before and after.endswith("/css/app.css")
    assert Assets(tmp_path).resolve(after.removeprefix("/static")) == ("css/app.css", True)
    assert Assets(tmp_path).resolve(before.removeprefix("/static")) == ("css/app.css", False)


def test_a_missing_asset_fails_loudly(app):
    with pytest.raises(MissingAsset):
        assets.asset("css/no-such-file.css")
    template = app.state.runtime.templates.from_string('<link href="{{ asset("css/missing.css") }}">')
    with pytest.raises(MissingAsset):
        template.render()
