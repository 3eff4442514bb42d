"""Browser journey: a member on a 360 px phone, JavaScript off, reads a draft and answers every question type."""

import subprocess
import sys

import httpx

from network.core.settings import ROOT


def _scale_reads_clearly(page) -> None:
    """At 360 px the scale's points sit in one row, each a tap target of at least 24 x 24 px, with
    the words for its two ends on a line of their own above them (not wrapped in among the numbers)."""
    points = page.locator(".scale-option")
    options = [points.nth(i).bounding_box() for i in range(points.count())]
    assert len(options) == 5
    assert len({round(box["y"]) for box in options}) == 1
    assert all(box["width"] >= 24 and box["height"] >= 24 for box in options)
    ends = page.locator(".scale-ends").bounding_box()
    assert ends["y"] + ends["height"] <= options[0]["y"]
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= 360 for box in options)


def test_answer_a_consultation_on_a_phone_without_javascript(browser, live_server):
    subprocess.run([sys.executable, "-m", "network.core.cli", "demo"], env=live_server.env, cwd=ROOT,
                   capture_output=True, check=True)
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/login")
    page.fill("#f-pseudonym", "Demo Member")
    page.fill("#f-passphrase", "demo member passphrase 1")
    page.click("main button[type=submit]")
    page.click("header a[href='/consultations']")
    page.click("main ul.items a")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Read the draft section by section.
    page.click("ol.items a >> nth=0")
    assert "reparations" in page.inner_text("article")
    page.click("text=Next")
    page.click("text=Next")
    page.click("text=Back to the consultation")
    # Consent, then answer.
    page.check("input[name=agree]")
    page.click("button:has-text('Take part')")
    assert "/answer" in page.url
    _scale_reads_clearly(page)
    page.check("fieldset.question >> nth=0 >> input[type=radio] >> nth=1")
    page.check("fieldset.question >> nth=1 >> input[type=checkbox] >> nth=0")
    page.check("fieldset.question >> nth=1 >> input[type=checkbox] >> nth=2")
    page.check("fieldset.question >> nth=2 >> input[value='4']")
    selects = page.locator("fieldset.question >> nth=3 >> select")
    for index, rank in enumerate(("2", "1", "3")):
        selects.nth(index).select_option(rank)
    page.fill("fieldset.question >> nth=4 >> textarea", "More support for children.")
    page.click("button[value=save]")
    assert "Your progress is saved" in page.content()
    assert page.locator("fieldset.question >> nth=0 >> input[type=radio] >> nth=1").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("button[value=submit]")
    assert "Your answers are in" in page.content()
    context.close()
    # The policymaker sees no figure yet: figures are released at the close (or k respondents apart).
    with httpx.Client(base_url=live_server.url) as http:
        http.post("/api/v1/auth/login", json={"pseudonym": "Demo Policymaker", "passphrase": "demo policymaker passphrase 1"})
        consultation = next(c for c in http.get("/api/v1/consultations").json()["mine"] if c["status"] == "open")
        body = http.get(f"/api/v1/consultations/{consultation['id']}/results").json()
        assert body["results"] is None and body["can_release"] is False
