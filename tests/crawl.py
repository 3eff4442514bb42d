"""A browser crawler for the accessibility, language and page-weight checks: every page a role reaches.

Pages are told apart by their path with numbers folded ("/rooms/{n}") and the names of their query
parameters, so a list of fifty rooms is one page to check, not fifty. Only links are followed (GET);
nothing is submitted, so a crawl changes nothing.
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import axe_playwright_python
import httpx

from network.core.settings import ROOT

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and Deque's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
# Where a link leads away from the pages to check: leaving (quick exit wipes the device), files.
NOT_PAGES = re.compile(r"^/(exit|static/|api/|healthz|favicon|manifest)|\.(csv|json|svg)$|/export|/download")
DEMO = {"member": ("Demo Member", "demo member passphrase 1"),
        "moderator": ("Demo Moderator", "demo moderator passphrase 1"),
        "policymaker": ("Demo Policymaker", "demo policymaker passphrase 1"),
        "admin": ("Demo Admin", "demo admin passphrase 1")}

ASSETS = "link[rel=stylesheet][href], script[src], img[src], link[rel=icon][href], link[rel=manifest][href]"
# Text in a right-to-left page that is in Latin letters and sits in no element of its own language
# or direction: a raw code, an untranslated word, or someone's words that will be laid out wrong.
FOREIGN_TEXT = r"""() => {
  const page = document.documentElement.lang;
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    // Names every language writes in Latin letters: acronyms (CSV, KES) and the Shift key.
    if (!/[A-Za-z]{2,}/.test(text.replace(/\b(?:[A-Z]{2,5}|Shift)\b/g, ''))) continue;
    const host = node.parentElement;
    if (!host || host.closest('script, style, [hidden], [aria-hidden=true]')) continue;
    if (host.closest('[dir=auto], [translate=no], kbd, code, samp')) continue;
    const marked = host.closest('[lang]');
    if (marked && marked.lang !== page) continue;
    const shown = host.getBoundingClientRect();
    if (shown.width === 0 && shown.height === 0) continue;
    found.push(text.slice(0, 60));
  }
  return found;
}"""


def page_key(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/{n}", parts.path)
    names = sorted({name for name, _ in parse_qsl(parts.query) if name != "lang"})
    return path + ("?" + "&".join(names) if names else "")


@dataclass
class Finding:
    url: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.url}: {self.rule}: {self.detail}"


@dataclass
class Crawl:
    pages: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    weights: dict[str, int] = field(default_factory=dict)


def seed_demo(env: dict) -> None:
    subprocess.run([sys.executable, "-m", "network.core.cli", "demo"], env=env, check=True,
                   capture_output=True, cwd=ROOT)


def sign_in(page, base: str, role: str) -> None:
    pseudonym, passphrase = DEMO[role]
    page.goto(base + "/login")
    page.fill("input[name=pseudonym]", pseudonym)
    page.fill("input[name=passphrase]", passphrase)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")
    assert "/login" not in page.url, f"{role} could not sign in: {page.inner_text('main')}"


def compressed_weight(http: httpx.Client, page, html: str, sizes: dict[str, int]) -> int:
    """The page's HTML and every file it loads, each gzip-compressed as a server would send it (a file
    cached as immutable still counts: this is the weight of a first visit)."""
    total = len(gzip.compress(html.encode(), 6))
    for url in set(page.eval_on_selector_all(ASSETS, "found => found.map(e => e.href || e.src)")):
        if url not in sizes:
            sizes[url] = len(gzip.compress(http.get(url).content, 6))
        total += sizes[url]
    return total


# The page as axe sees it, less what differs between two sessions and what app.js alone changes
# (the quick-exit link's title naming the Shift shortcut, the one change every page has).
SNAPSHOT = """() => {
  const root = document.documentElement.cloneNode(true);
  root.querySelectorAll('input[name=csrf_token]').forEach(e => e.removeAttribute('value'));
  const exit = root.querySelector('#quick-exit');
  if (exit) exit.removeAttribute('title');
  return root.outerHTML;
}"""


# A page as the server sent it, put into a page of the site's own (its CSP and origin) whose scripts
# cannot load: what a browser without JavaScript shows, checked without a navigation, so axe is
# compiled once per reader instead of once per page.
WRITE = """html => { document.open(); document.write(html); document.close(); }"""
# A function, not an expression: Playwright polls an expression with eval, which the page's CSP refuses.
LOADED = "() => document.readyState === 'complete' && document.styleSheets.length > 0"


def _violations(page, context=None) -> list[dict]:
    return page.evaluate("([context, options]) => axe.run(context || document, options)",
                         [context, AXE_OPTIONS])["violations"]


class Reader:
    """One browser context going through the pages as a role, with or without JavaScript."""

    def __init__(self, browser, base: str, role: str | None, locale: str, javascript: bool):
        self.base, self.locale, self.javascript = base, locale, javascript
        self.context = browser.new_context(viewport={"width": 360, "height": 740})
        self.context.add_cookies([{"name": "lang", "value": locale, "url": base}])
        if not javascript:
            self.context.add_init_script(script=AXE_SOURCE)
            # The page's own scripts never load. (In a context with JavaScript turned off Chromium's
            # timers stop, and axe, injected by the test, would never finish.)
            self.context.route("**/*.js", lambda route: route.abort())
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" and (
            javascript or "ERR_FAILED" not in message.text) else None)
        if role:
            sign_in(self.page, base, role)
        else:
            self.page.goto(base + "/")
        self.http = httpx.Client(cookies={c["name"]: c["value"] for c in self.context.cookies()},
                                 follow_redirects=True)
        self.sizes: dict[str, int] = {}

    def open(self, url: str) -> tuple[int, str] | None:
        """(status, HTML) of a page, now shown in this reader's page; None for anything but HTML."""
        self.errors.clear()
        if self.javascript:
            response = self.page.goto(url)
            if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                return None
            return response.status, response.text()
        response = self.http.get(url)
        if "text/html" not in response.headers.get("content-type", ""):
            return None
        self.page.evaluate(WRITE, response.text)
        self.page.wait_for_function(LOADED)
        return response.status_code, response.text

    def snapshot(self) -> str:
        return self.page.evaluate(SNAPSHOT)

    def check(self, path: str) -> list[Finding]:
        """axe on the page, Latin text in a right-to-left page, and script errors."""
        assert self.page.get_attribute("html", "lang") == self.locale, f"{path} is not in {self.locale}"
        if self.javascript and not self.page.evaluate("typeof axe !== 'undefined'"):
            self.page.evaluate(AXE_SOURCE)
        found = []
        for violation in _violations(self.page):
            targets = "; ".join(",".join(node["target"]) for node in violation["nodes"][:3])
            found.append(Finding(path, violation["id"], targets))
        if self.locale in ("ar", "fa"):
            found += [Finding(path, "latin-text-in-rtl-page", text) for text in self.page.evaluate(FOREIGN_TEXT)]
        return found + self.script_errors(path)

    def script_errors(self, path: str) -> list[Finding]:
        return [Finding(path, "script-error", message[:200]) for message in self.errors]

    def links(self) -> list[str]:
        return self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")

    def close(self) -> None:
        self.http.close()
        self.context.close()


def crawl(browser, base: str, role: str | None, locale: str, limit: int = 200) -> dict[bool, Crawl]:
    """Every page the role reaches from the home page, read without JavaScript and with it, side by
    side. Where the page's scripts changed nothing but the quick-exit link's title (a title on a link
    that has its text: no rule here looks at it), the page with them is the page without them, already
    checked; anywhere else both are checked in full."""
    results = {False: Crawl(), True: Crawl()}
    plain, live = (Reader(browser, base, role, locale, False), Reader(browser, base, role, locale, True))
    try:
        queue, seen = [base + "/"], {page_key("/")}
        while queue and len(results[False].pages) < limit:
            url = queue.pop(0)
            parts = urlsplit(url)
            path = parts.path + ("?" + parts.query if parts.query else "")
            links = []
            for reader in (plain, live):
                opened = reader.open(url)
                if opened is None:
                    break
                status, html = opened
                result = results[reader.javascript]
                if status >= 500:
                    result.findings.append(Finding(path, "server-error", str(status)))
                    break
                result.pages.append(path)
                if reader is plain:
                    result.weights[path] = compressed_weight(reader.http, reader.page, html, reader.sizes)
                    without_scripts = plain.snapshot()
                    result.findings += plain.check(path)
                elif live.snapshot() == without_scripts:
                    result.findings += live.script_errors(path)
                else:
                    result.findings += live.check(path)
                links += reader.links()
            for href in links:
                if not href.startswith(base) or NOT_PAGES.search(urlsplit(href).path):
                    continue
                key = page_key(href)
                if key not in seen:
                    seen.add(key)
                    queue.append(href.split("#")[0])
    finally:
        plain.close()
        live.close()
    return results
