"""Browser journey: a moderator on a 360 px phone clears the queue."""

from playwright.sync_api import expect

from tests.rooms_helpers import PASSPHRASE, Person


def test_a_moderator_clears_the_queue_on_a_phone(browser, live_server):
    moderator = Person(live_server, "Phone Moderator", "moderator")
    room = moderator.room(name="Busy room")
    author, reporter = Person(live_server, "Careless Author"), Person(live_server, "Caring Reporter")
    for person in (author, reporter):
        person.join(room["id"])
    held = author.post(room["id"], "my number is 0712 345 678").json()["message"]
    rude = author.post(room["id"], "you are all fools").json()["message"]
    reporter.http.post("/api/v1/reports", json={"target": "message", "id": rude["id"], "reason": "harassment"})

    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/login")
    page.fill("#f-pseudonym", "Phone Moderator")
    page.fill("#f-passphrase", PASSPHRASE)
    page.click("main button[type=submit]")
    page.wait_for_selector("header a[href='/moderation']")
    page.click("header a[href='/moderation']")
    page.wait_for_selector("section.queue-item")
    assert page.locator("section.queue-item").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Content is folded behind a warning until opened.
    first = page.locator("section.queue-item").first
    assert not first.locator("details.content").evaluate("d => d.open")
    # The report first (harassment), then the held message.
    report = page.locator(f"section.queue-item:has(input[name=message_id][value='{rude['id']}'])").first
    report.locator("details.content summary").click()
    assert "you are all fools" in report.inner_text()
    report.locator("form:has(input[value=hide]) input[name=reason]").fill("No insults here.")
    report.locator("form:has(input[value=hide]) button").click()
    expect(page.locator("section.queue-item")).to_have_count(1)
    page.locator("section.queue-item form:has(input[value=approve]) button").click()
    page.wait_for_selector("text=Nothing is waiting.")
    context.close()
    statuses = {m["id"]: m["status"] for m in moderator.http.get(f"/api/v1/rooms/{room['id']}/messages").json()["messages"]}
    assert statuses == {held["id"]: "visible"}
    notices = author.http.get("/api/v1/notices").json()["notices"]
    assert notices[0]["kind"] == "hidden" and notices[0]["reason"] == "No insults here."
