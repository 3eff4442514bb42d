"""Browser journeys: quick exit (button, Shift three times, the no-JavaScript link), duress, panic wipe."""

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from network.core.settings import ROOT
from tests.conftest import free_port, start_server, stop_server

PASSPHRASE = "evening light on water"
DURESS = "another phrase for danger"


class Weather(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = b"<!doctype html><title>Weather</title><h1>Weather today: sunny</h1>"
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def neutral_site():
    port = free_port()
    server = HTTPServer(("127.0.0.1", port), Weather)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/"
    server.shutdown()


@pytest.fixture
def safe_server(tmp_path, neutral_site):
    server = start_server(tmp_path, {"SURVNET_QUICK_EXIT_URL": neutral_site})
    yield server
    stop_server(server)


def _member(server, pseudonym):
    code = subprocess.run([sys.executable, "-m", "network.core.cli", "invite"], env=server.env, cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    import httpx

    response = httpx.post(server.url + "/api/v1/auth/register", json={
        "invite_code": code, "pseudonym": pseudonym, "passphrase": PASSPHRASE})
    response.raise_for_status()
    return response.json()


def _sign_in(page, server, pseudonym, passphrase=PASSPHRASE):
    page.goto(server.url + "/login")
    page.fill("#f-pseudonym", pseudonym)
    page.fill("#f-passphrase", passphrase)
    page.click("main button[type=submit]")
    page.wait_for_selector("header button:has-text('Sign out')")


def _phone(browser, javascript=True):
    return browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=javascript)


@pytest.mark.parametrize("how", ["button", "shift"])
def test_quick_exit_leaves_nothing_to_go_back_to(browser, safe_server, neutral_site, how):
    _member(safe_server, "Swift Leaver")
    context = _phone(browser)
    page = context.new_page()
    _sign_in(page, safe_server, "Swift Leaver")
    page.click("header a[href='/me']")
    page.wait_for_selector("text=My profile")
    page.click("a[href='/me/sessions']")
    page.wait_for_selector("text=My sessions")
    assert page.evaluate("history.length") <= 2, "moving within the site adds no history entries"
    button = page.locator("#quick-exit")
    box = button.bounding_box()
    assert box["y"] + box["height"] <= 740 and box["height"] >= 44, "in reach of a thumb, always visible"
    if how == "button":
        button.click()
    else:
        page.keyboard.press("Shift")
        page.keyboard.press("Shift")
        assert page.locator("#exit-dots").inner_text() == "••"
        page.keyboard.press("Shift")
    page.wait_for_url(neutral_site)
    assert "Weather today" in page.content()
    # Back shows nothing of the site: the visit's one entry was replaced.
    page.go_back()
    assert "Swift Leaver" not in page.content() and "My sessions" not in page.content()
    # And the session is gone.
    page.goto(safe_server.url + "/me/sessions")
    assert "/login" in page.url
    context.close()


def test_shift_count_resets_on_another_key(browser, safe_server):
    context = _phone(browser)
    page = context.new_page()
    page.goto(safe_server.url + "/login")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("a")
    assert page.locator("#exit-dots").inner_text() == ""
    page.keyboard.press("Shift")
    assert "/login" in page.url
    context.close()


def test_quick_exit_without_javascript(browser, safe_server, neutral_site):
    _member(safe_server, "Plain Leaver")
    context = _phone(browser, javascript=False)
    page = context.new_page()
    page.goto(safe_server.url + "/login")
    page.fill("#f-pseudonym", "Plain Leaver")
    page.fill("#f-passphrase", PASSPHRASE)
    page.click("main button[type=submit]")
    page.wait_for_selector("header button:has-text('Sign out')")  # signed in before going on
    page.goto(safe_server.url + "/me")
    assert "My profile" in page.content()
    page.click("#quick-exit")
    page.wait_for_url(neutral_site)
    page.go_back()
    page.wait_for_load_state()
    # The page is fetched again (never cached), and the session is gone: no profile, only sign-in.
    assert "My profile" not in page.content() and "Plain Leaver" not in page.content()
    context.close()


def test_duress_login_in_the_browser(browser, safe_server):
    body = _member(safe_server, "Watched Member")
    import httpx

    with httpx.Client(base_url=safe_server.url) as http:
        http.post("/api/v1/auth/login", json={"pseudonym": "Watched Member", "passphrase": PASSPHRASE})
        me = http.get("/api/v1/me").json()
        http.patch("/api/v1/me", json={"bio": "things only I should see"}, headers={"x-csrf-token": me["csrf_token"]})
        http.put("/api/v1/me/duress", json={"current_passphrase": PASSPHRASE, "passphrase": DURESS, "action": "alert"},
                 headers={"x-csrf-token": me["csrf_token"]}).raise_for_status()
    assert body["member"]["pseudonym"] == "Watched Member"
    context = _phone(browser)
    page = context.new_page()
    _sign_in(page, safe_server, "Watched Member", DURESS)
    page.goto(safe_server.url + "/me")
    assert "Watched Member" in page.content()
    assert "things only I should see" not in page.content()
    page.goto(safe_server.url + "/members")
    assert "things only I should see" not in page.content()  # the directory, as a new member sees it
    context.close()
    # The real account is untouched.
    with httpx.Client(base_url=safe_server.url) as http:
        http.post("/api/v1/auth/login", json={"pseudonym": "Watched Member", "passphrase": PASSPHRASE}).raise_for_status()
        assert http.get("/api/v1/me").json()["member"]["bio"] == "things only I should see"


def test_panic_wipe_in_the_browser(browser, safe_server, neutral_site):
    _member(safe_server, "Wipe Me Now")
    context = _phone(browser)
    page = context.new_page()
    _sign_in(page, safe_server, "Wipe Me Now")
    page.goto(safe_server.url + "/safety")
    page.click("a[href='/safety/wipe']")
    page.wait_for_selector("text=Yes, erase everything")
    page.click("text=Yes, erase everything")
    page.wait_for_url(neutral_site)
    context.close()
    import httpx

    response = httpx.post(safe_server.url + "/api/v1/auth/login", json={"pseudonym": "Wipe Me Now", "passphrase": PASSPHRASE})
    assert response.status_code == 401
