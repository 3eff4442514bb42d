"""Static files under fingerprinted addresses, so a browser keeps them for good.

A file's address carries a hash of its content (`/static/<hash>/css/app.css`), computed once when
the process starts: a changed file gets a new address, so the old copy can be kept as immutable and
CSS and JS are not downloaded again on every page, on mobile data the member pays for. The plain
address (`/static/css/app.css`) still works, cached briefly only.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from starlette.staticfiles import StaticFiles

from network.core.settings import ROOT

PREFIX = "/static"
STATIC_DIR = ROOT / "static"
IMMUTABLE = b"public, max-age=31536000, immutable"
# Plain addresses are those written before fingerprints, or by hand: short enough that an update
# reaches everyone the same day, never no-store (they are the same public file for everyone).
SHORT = b"public, max-age=600"
_HASH_LENGTH = 12
_FINGERPRINT = re.compile(rf"^[0-9a-f]{{{_HASH_LENGTH}}}$")


class MissingAsset(LookupError):
    """A template named a static file that does not exist: a broken page must fail, not ship."""


class Assets:
    """The fingerprints of every file under one folder, taken once.

    The fingerprint is a folder in front of the file's path (`/static/<hash>/css/app.css`), so an
    address a file gives relative to itself (CSS naming an icon) still finds that file."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.digests: dict[str, str] = {}
        for path in sorted(p for p in self.directory.rglob("*") if p.is_file()):
            relative = path.relative_to(self.directory).as_posix()
            self.digests[relative] = hashlib.sha256(path.read_bytes()).hexdigest()[:_HASH_LENGTH]
        self.folders = {name.split("/")[0] for name in self.digests if "/" in name}

    def url(self, relative: str) -> str:
        """The fingerprinted address of a file under the folder, e.g. asset("css/app.css")."""
        relative = relative.lstrip("/")
        if relative not in self.digests:
            raise MissingAsset(f"no static file {relative!r} under {self.directory}")
        return f"{PREFIX}/{self.digests[relative]}/{relative}"

    def resolve(self, requested: str) -> tuple[str, bool]:
        """The file a request names and whether its address is this exact content (so immutable).
        A stale fingerprint (a page from before a deploy) gets today's file, kept briefly only."""
        requested = requested.lstrip("/")
        head, _, rest = requested.partition("/")
        if rest and _FINGERPRINT.match(head) and head not in self.folders:
            return rest, self.digests.get(rest) == head
        return requested, False


@lru_cache(maxsize=None)
def assets_for(directory: Path) -> Assets:
    """The process's fingerprints: the files only change with a deploy, which restarts it."""
    return Assets(directory)


def asset(relative: str) -> str:
    """The Jinja global: `{{ asset("css/app.css") }}`."""
    return assets_for(STATIC_DIR).url(relative)


def _route_path(scope) -> str:
    """The path under the mount (Starlette keeps the full path and the mount in root_path)."""
    path, root = scope.get("path", ""), scope.get("root_path", "")
    return path[len(root):] if root and path.startswith(root + "/") else path


class StaticAssets:
    """Serves the folder under fingerprinted and plain addresses, each with its cache lifetime."""

    def __init__(self, assets: Assets):
        self.assets = assets
        self.files = StaticFiles(directory=assets.directory)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.files(scope, receive, send)
        relative, exact = self.assets.resolve(_route_path(scope))
        path = f"{scope.get('root_path', '')}/{relative}"
        scope = dict(scope, path=path, raw_path=path.encode())
        lifetime = IMMUTABLE if exact else SHORT

        async def with_lifetime(message):
            if message["type"] == "http.response.start" and message.get("status", 200) < 400:
                headers = [(n, v) for n, v in message.get("headers", []) if n.lower() != b"cache-control"]
                message["headers"] = headers + [(b"cache-control", lifetime)]
            await send(message)

        await self.files(scope, receive, with_lifetime)
