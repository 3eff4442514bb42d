"""Markdown written by staff and members (policy drafts, outcomes, library entries), rendered one way.

Raw HTML and images are off: nothing on a page loads from another site. A link to another site is
not followed directly: it goes through the warning page (`/out`), since a visited address may be
watched and the member should choose, knowing that, whether to open it. Links within this site stay
as written.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from markdown_it import MarkdownIt
from markupsafe import Markup

OUT = "/out"


def outbound(href: str) -> str | None:
    """The warning page's address for a link that leaves this site, or None for one that stays."""
    parts = urlsplit(href)
    if not parts.scheme and not parts.netloc:
        return None
    return f"{OUT}?to={quote(href, safe='')}"


def _link_open(self, tokens, idx, options, env):
    token = tokens[idx]
    href = token.attrGet("href") or ""
    warned = outbound(href)
    if warned is not None:
        token.attrSet("href", warned)
        token.attrSet("class", "out")
        token.attrSet("rel", "noreferrer noopener")
    return self.renderToken(tokens, idx, options, env)


_markdown = MarkdownIt("commonmark", {"html": False}).disable("image")
_markdown.add_render_rule("link_open", _link_open)


def markdown(text: str) -> Markup:
    return Markup(_markdown.render(text or ""))
