"""The discreet face needs no cookie: its entry address always shows the neutral title, icon,
manifest and words, before and after sign-in and after a quick exit; nothing on it names the network
or its purpose. Without JavaScript no page promises what only JavaScript does."""

from __future__ import annotations

import re

import pytest

from network.core import i18n
from tests.helpers import PASSPHRASE, make_member, new_client

PUBLIC = ["", "/", "/login", "/register", "/recover", "/safety/quick-exit"]


def _telling(locale: str) -> list[str]:
    """Words that would name the network or its purpose, in this language."""
    words = ["Survivor", "survivor", "sexual", "violence", "Network", "private network", "safe place", "staying safe"]
    return words + [i18n.gettext(locale, "Survivors' Network"), i18n.gettext(locale, "A safe place to be heard")]


def _neutral(html: str, locale: str) -> None:
    assert "<title>Notes</title>" in html or f"<title>{i18n.gettext(locale, 'Notes')}</title>" in html
    assert "/icons/notes.svg" in html and "favicon" not in html
    assert 'href="/notes/manifest.webmanifest"' in html
    for word in _telling(locale):
        assert word not in html, word


@pytest.mark.parametrize("locale", ["en", "ar", "fa"])
async def test_the_entry_address_is_neutral_with_no_cookies_at_all(app, locale):
    prefix = app.state.settings.discreet_path
    for path in PUBLIC:
        async with new_client(app, **{"accept-language": locale}) as http:
            response = await http.get(prefix + path)
            assert response.status_code == 200, path
            _neutral(response.text, locale)
    async with new_client(app, **{"accept-language": locale}) as http:
        manifest = (await http.get(prefix + "/manifest.webmanifest")).json()
        assert manifest["name"] == i18n.gettext(locale, "Notes") and manifest["start_url"] == prefix + "/"
        assert "notes.svg" in manifest["icons"][0]["src"]


async def test_the_face_holds_through_sign_in_and_after_quick_exit(app):
    member = await make_member(app, pseudonym="Quiet Reader")
    prefix = app.state.settings.discreet_path
    async with new_client(app) as http:
        page = await http.get(prefix + "/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        signed = await http.post(prefix + "/login", data={"csrf_token": token, "pseudonym": "Quiet Reader",
                                                          "passphrase": PASSPHRASE}, follow_redirects=True)
        assert signed.status_code == 200
        _neutral(signed.text, "en")
        for path in ("/me", "/rooms", "/safety"):
            _neutral((await http.get(path)).text, "en")  # links that leave the prefix stay neutral
        gone = await http.get(prefix + "/exit")
        assert gone.status_code == 303 and "cookies" in gone.headers["clear-site-data"]
    async with new_client(app) as fresh:  # what the browser keeps after quick exit: nothing
        _neutral((await fresh.get(prefix)).text, "en")
        _neutral((await fresh.get(prefix + "/login")).text, "en")
    assert member.pseudonym == "Quiet Reader"


async def test_without_javascript_nothing_promises_the_shift_shortcut(app):
    member = await make_member(app)
    async with new_client(app) as http:
        for path in ("/", "/login", "/safety/quick-exit"):
            html = (await http.get(path)).text
            # What a browser without JavaScript shows: no hidden element, no attribute the script reads.
            shown = re.sub(r'<[^>]+\bhidden\b[^>]*>.*?</p>', "", html, flags=re.S)
            shown = re.sub(r'data-shortcut-title="[^"]*"', "", shown)
            assert "Shift" not in shown, path
            assert "Shift" in html  # the script names it once it runs
    assert member


async def test_out_of_range_path_numbers_are_not_found(app):
    member = await make_member(app)
    from tests.helpers import signed_in

    async with signed_in(app, member) as http:
        for path in ("/members/99999999999999999999", "/members/2147483648", "/api/v1/members/99999999999999999999",
                     "/rooms/99999999999999999999", "/consultations/2147483648"):
            assert (await http.get(path)).status_code == 404, path
