"""Browser journey: a 360 px phone switches to Arabic, with JavaScript on and off."""

import pytest


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_switching_to_arabic_makes_the_page_right_to_left(browser, live_server, javascript):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=javascript,
                                  locale="en-GB")
    page = context.new_page()
    external = []
    page.on("request", lambda req: None if req.url.startswith(live_server.url) else external.append(req.url))
    page.goto(live_server.url + "/")
    assert page.get_attribute("html", "dir") == "ltr"
    page.click("a[hreflang=ar]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "ar"
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The brand sits on the right in a mirrored layout.
    box = page.locator(".brand").bounding_box()
    assert box["x"] > 360 / 2 - box["width"]
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The choice sticks for the next page.
    page.goto(live_server.url + "/")
    assert page.get_attribute("html", "lang") == "ar"
    assert external == []
    context.close()
