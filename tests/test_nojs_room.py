"""Rooms without JavaScript: newer messages come by a plain link that keeps the reader's place;
with JavaScript the room is live and the link steps aside. The moderation filters are a list of
links big enough to tap."""

from playwright.sync_api import expect

from tests.rooms_helpers import Person, sign_in_page


def _room_with_history(server, prefix):
    keeper = Person(server, f"{prefix} Keeper", "moderator")
    room = keeper.room(name=f"{prefix} talk")
    reader, writer = Person(server, f"{prefix} Reader"), Person(server, f"{prefix} Writer")
    for person in (reader, writer):
        person.join(room["id"])
    # Enough to fill a phone's screen several times over, so where the page lands is visible.
    ids = [writer.post(room["id"], f"Earlier message {n}").json()["message"]["id"] for n in range(20)]
    return room, reader, writer, ids


def _open_room(browser, live_server, reader, room, javascript: bool):
    """The room as the reader sees it on a phone, signed in, with or without JavaScript."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=javascript)
    page = context.new_page()
    sign_in_page(page, live_server, reader.pseudonym)
    page.goto(live_server.url + f"/rooms/{room['id']}")
    return context, page


def test_newer_messages_by_a_link_keep_the_readers_place(browser, live_server):
    room, reader, writer, ids = _room_with_history(live_server, "Plain")
    context, page = _open_room(browser, live_server, reader, room, javascript=False)
    assert page.locator("ol.messages li .body").last.inner_text() == "Earlier message 19"

    writer.post(room["id"], "Something new while you read")
    page.click("#newer-link")
    assert page.locator("ol.messages li .body").last.inner_text() == "Something new while you read"
    assert f"#m{ids[-1]}" in page.url and "after=" in page.url
    # The last message read is at the top of the screen, the new one below it: the place is kept.
    last_read = page.locator(f"#m{ids[-1]}")
    expect(last_read).to_be_in_viewport()
    assert -2 <= last_read.bounding_box()["y"] < 80  # sub-pixel rounding aside
    assert page.evaluate("window.scrollY") > 0
    assert "(where you stopped reading)" in last_read.inner_text()
    assert page.locator("ol.messages li .body", has_text="Earlier message 3").count() == 0

    # Nothing newer yet: the reader is told so, and still sees the last message they read.
    page.click("#newer-link")
    expect(page.locator("text=No newer messages yet.")).to_be_visible()
    assert page.locator("ol.messages li .body").last.inner_text() == "Something new while you read"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_older_messages_from_the_newer_page(browser, live_server):
    room, reader, writer, _ = _room_with_history(live_server, "Paging")
    context, page = _open_room(browser, live_server, reader, room, javascript=False)
    writer.post(room["id"], "One more")
    page.click("#newer-link")
    page.click("text=Older messages")
    bodies = page.locator("ol.messages li .body").all_inner_texts()
    assert bodies[0] == "Earlier message 0" and bodies[-1] == "Earlier message 18"
    context.close()


def test_with_javascript_the_link_steps_aside_while_live(browser, live_server):
    room, reader, writer, _ = _room_with_history(live_server, "Live")
    context, page = _open_room(browser, live_server, reader, room, javascript=True)
    expect(page.locator("#conn-state")).to_have_text("Live", timeout=5000)
    expect(page.locator("#newer")).to_be_hidden()
    writer.post(room["id"], "Arrives live")
    expect(page.locator("ol.messages li .body").last).to_have_text("Arrives live", timeout=5000)
    new_id = page.locator("ol.messages li").last.get_attribute("id")
    assert page.locator("#newer-link").get_attribute("href").endswith("#" + new_id)
    context.close()


def test_moderation_filters_are_a_list_of_tappable_links(browser, live_server):
    Person(live_server, "Filter Moderator", "moderator")
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    sign_in_page(page, live_server, "Filter Moderator")
    page.goto(live_server.url + "/moderation?kind=held")
    links = page.locator("ul.filters li a")
    assert links.count() == 6
    for n in range(links.count()):
        box = links.nth(n).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, links.nth(n).inner_text()
    current = page.locator("ul.filters a[aria-current=page]")
    assert current.count() == 1 and current.get_attribute("href") == "/moderation?kind=held"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_with_javascript_a_refused_message_comes_back_to_the_box(browser, live_server):
    room, reader, _, _ = _room_with_history(live_server, "Refused")
    keeper = Person(live_server, "Refused Wordkeeper", "moderator")
    assert keeper.http.post("/api/v1/moderation/words", json={"locale": "en", "word": "traitor",
                                                               "action": "block"}).status_code == 201
    context, page = _open_room(browser, live_server, reader, room, javascript=True)
    expect(page.locator("#conn-state")).to_have_text("Live", timeout=5000)
    page.fill("#f-body", "you traitor")
    page.click("#send-form button[type=submit]")
    expect(page.locator("#live-note")).to_contain_text("not allowed here", timeout=5000)
    expect(page.locator("#f-body")).to_have_value("you traitor")
    expect(page.locator("#f-body")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-body")).to_have_attribute("aria-describedby", "live-note")
    page.fill("#f-body", "you are wrong")
    page.click("#send-form button[type=submit]")
    expect(page.locator("ol.messages li .body").last).to_have_text("you are wrong", timeout=5000)
    expect(page.locator("#live-note")).to_have_count(0)
    expect(page.locator("#f-body")).not_to_have_attribute("aria-invalid", "true")
    context.close()
