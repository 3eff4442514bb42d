"""Browser journeys: posting in a room without JavaScript, and two browsers chatting live."""

from playwright.sync_api import expect

from tests.rooms_helpers import Person, sign_in_page


def test_posting_without_javascript(browser, live_server):
    moderator = Person(live_server, "Plain Keeper", "moderator")
    room = moderator.room(name="Plain talk")
    Person(live_server, "Plain Talker").join(room["id"])
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    sign_in_page(page, live_server, "Plain Talker")
    page.goto(live_server.url + "/rooms")
    page.click(f"a[href='/rooms/{room['id']}']")
    page.fill("#f-body", "Hello without scripts")
    page.click("#send-form button[type=submit]")
    assert page.locator("ol.messages li .body").last.inner_text() == "Hello without scripts"
    assert "?sent=ok" in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_two_browsers_chat_live(browser, live_server):
    moderator = Person(live_server, "Live Keeper", "moderator")
    room = moderator.room(name="Live talk")
    for name in ("Amani Live", "Olena Live"):
        Person(live_server, name).join(room["id"])
    pages = []
    for name in ("Amani Live", "Olena Live"):
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        sign_in_page(page, live_server, name)
        page.goto(live_server.url + f"/rooms/{room['id']}")
        # expect() polls without eval, which the strict CSP would (rightly) refuse.
        expect(page.locator("#conn-state")).to_have_text("Live", timeout=5000)
        pages.append(page)
    amani, olena = pages
    amani.fill("#f-body", "Can you see this?")
    amani.click("#send-form button[type=submit]")
    olena.wait_for_selector("ol.messages li .body:has-text('Can you see this?')", timeout=5000)
    olena.fill("#f-body", "Yes, live.")
    olena.click("#send-form button[type=submit]")
    amani.wait_for_selector("ol.messages li .body:has-text('Yes, live.')", timeout=5000)
    # Sent over the socket: no page load, so the address never changed.
    assert amani.url.endswith(f"/rooms/{room['id']}")
    expect(olena.locator("#presence")).to_contain_text("2", timeout=5000)
    for page in pages:
        page.context.close()
