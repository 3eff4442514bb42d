"""Browser journey on a 360 px phone: join with an invitation, keep the codes, sign out, sign in, recover."""

import re
import subprocess
import sys

import pytest

from network.core.settings import ROOT

PASSPHRASE = "green hills after rain"


def _invite(server) -> str:
    result = subprocess.run([sys.executable, "-m", "network.core.cli", "invite"], env=server.env, cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_join_sign_out_sign_in_and_recover(browser, live_server, javascript):
    code = _invite(live_server)
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + "/register")
    page.fill("#f-invite_code", code)
    page.fill("#f-pseudonym", "Walking Heron")
    page.fill("#f-passphrase", PASSPHRASE)
    page.fill("#f-passphrase_again", PASSPHRASE)
    page.click("main button[type=submit]")
    page.wait_for_selector("ol.codes li")
    codes = page.locator("ol.codes li").all_inner_texts()
    assert len(codes) == 10
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("text=Continue")
    page.wait_for_url("**/safety/quick-exit?first=1")
    page.click("header button:has-text('Sign out')")
    page.wait_for_selector("header a[href='/login']")
    # Sign in again.
    page.goto(live_server.url + "/login")
    page.fill("#f-pseudonym", "walking heron")
    page.fill("#f-passphrase", "not the passphrase")
    page.click("main button[type=submit]")
    page.wait_for_selector("[role=alert]")
    assert page.locator("[role=alert]").count() == 1
    page.fill("#f-passphrase", PASSPHRASE)
    page.click("main button[type=submit]")
    page.wait_for_selector("header button:has-text('Sign out')")
    page.goto(live_server.url + "/me")
    assert page.locator("h1").inner_text() and "Walking Heron" in page.content()
    page.click("header button:has-text('Sign out')")
    # Signed out before the recovery page is opened: a page opened while the sign-out is still on its
    # way carries the ending session's form token, and its form is refused as expired (403).
    page.wait_for_selector("header a[href='/login']")
    # Recover with a code.
    page.goto(live_server.url + "/recover")
    page.fill("#f-pseudonym", "Walking Heron")
    page.fill("#f-recovery_code", codes[0].lower())
    page.fill("#f-new_passphrase", "a fresh start passphrase")
    page.fill("#f-passphrase_again", "a fresh start passphrase")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Sign in with your new passphrase")
    assert re.search(r"/login\?recovered=1$", page.url)
    page.fill("#f-pseudonym", "Walking Heron")
    page.fill("#f-passphrase", "a fresh start passphrase")
    page.click("main button[type=submit]")
    page.wait_for_selector("header button:has-text('Sign out')")
    page.goto(live_server.url + "/me")
    assert "Walking Heron" in page.content()
    context.close()
