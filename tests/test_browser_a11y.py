"""Every page every role reaches, in English, Arabic and Persian, with and without JavaScript: no axe-core
violation (WCAG 2.0/2.1/2.2 A and AA, best practices), no Latin text left unmarked in a right-to-left page,
and no page heavier than 60 KB compressed with all it loads.

Run it alone: `make test PYTEST_ARGS=tests/test_browser_a11y.py`.
"""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import _migrated_sqlite, base_env, launch_chromium, start_server, stop_server
from tests.crawl import LOADED, WRITE, Reader, crawl, seed_demo

ROLES = [None, "member", "moderator", "policymaker", "admin"]
PAGE_BUDGET = 60 * 1024


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("a11y")
    (folder / "var").mkdir()
    shutil.copyfile(_migrated_sqlite(), folder / "var" / "survnet.sqlite3")
    env = base_env(folder / "var", SURVNET_ARGON2_MEMORY_KIB="1024", SURVNET_ARGON2_TIME_COST="1")
    seed_demo(env)
    server = start_server(folder, migrate=False)
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def chromium(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_path)
        yield browser
        browser.close()


@pytest.mark.parametrize("locale", ["en", "ar", "fa"])
@pytest.mark.parametrize("role", ROLES, ids=[role or "visitor" for role in ROLES])
def test_every_page_is_accessible(chromium, demo_server, role, locale):
    results = crawl(chromium, demo_server.url, role, locale)
    findings = []
    for javascript, result in results.items():
        how = "with" if javascript else "without"
        # Every role reaches more than its home page: a crawl that stopped early checked nothing.
        assert len(result.pages) >= (3 if role is None else 12), (how, result.pages)
        findings += [f"{how} JavaScript: {finding}" for finding in result.findings]
        findings += [f"{how} JavaScript: {path}: {weight} bytes compressed, over {PAGE_BUDGET}"
                     for path, weight in result.weights.items() if weight > PAGE_BUDGET]
    assert results[True].pages == results[False].pages
    assert not findings, "\n".join(findings)


def test_the_checker_flags_what_it_is_there_to_flag(chromium, demo_server):
    """The crawl's own eyes: a page written the way the crawl writes pages, with a picture that has no
    text, a link that says nothing and an English word in a Persian page, is found out on all three."""
    reader = Reader(chromium, demo_server.url, None, "fa", False)
    try:
        reader.page.evaluate(WRITE, '<!doctype html><html lang="fa" dir="rtl"><head><title>آزمون</title>'
                                    '<link rel="stylesheet" href="/static/css/app.css"></head><body><main>'
                                    '<h1>آزمون</h1><img src="/static/icons/favicon.svg"><a href="/"></a>'
                                    '<p>pending</p></main></body></html>')
        reader.page.wait_for_function(LOADED)
        rules = {finding.rule: finding.detail for finding in reader.check("/test")}
    finally:
        reader.close()
    assert {"image-alt", "link-name", "latin-text-in-rtl-page"} <= set(rules), rules
    assert rules["latin-text-in-rtl-page"] == "pending"
