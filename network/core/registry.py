"""Every extension point of the app, in one object that `create_app` builds and each package fills.

Packages depend on each other one way (`network` <- `consultations`, `network` <- `messaging` <-
`moderation`). Where a lower package must call a higher one, it reads an extension point here and
the higher package fills it in its `setup(registry, settings)`, called by `network/app.py` in
dependency order. Nothing else is shared: two apps built in one process have two registries.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# (rt, member, room, body, content_warning) -> messaging.hooks.Decision
MessageFilter = Callable[..., Awaitable[Any]]
# (rt, member, room) -> a refusal message id when the member may not post now (a mute), or None
SendCheck = Callable[..., Awaitable[str | None]]
# (rt) -> list of queue item dicts {"kind", "id", "priority", "created_at", ...}
QueueSource = Callable[..., Awaitable[list[dict]]]
# (rt, connection, row ids, "delete" | "scrub" | "unlink") -> an awaitable to run after the commit, or
# None: how erasure and retention (network.core.personal) change one model's rows when plain SQL is
# not enough (room messages make events; ended sessions close their sockets).
RowEraser = Callable[..., Awaitable[Any]]
# (rt) -> how many rows went
PurgeJob = Callable[..., Awaitable[int]]
# (rt, accounts: {role: Member}) -> None; the first seed fills the accounts
DemoSeed = Callable[..., Awaitable[None]]
# (viewer_id, member_id) -> do they share a room?
SharesRoom = Callable[[int, int], Awaitable[bool]]
# (rt, member) -> the account a duress sign-in opens instead of the member's own
DuressLogin = Callable[..., Awaitable[Any]]
# (member, organisation id) -> does the member represent that organisation? (network.core.access)
Represents = Callable[..., Awaitable[bool]]
# (rt, member, participation key) -> None, after a member signs in with their passphrase
SignInHook = Callable[..., Awaitable[None]]


# What a member is told besides moderators' notices (commitment updates, answers to proposals),
# found through their participation key: `items(rt, member, key, locale)` -> [{"day", "heading",
# "status", "text", "note", "href", and "told": what marks it told}]; `seen(rt, member, key, shown)`
# once those items have been shown (None: they stay until the member acts on them).
@dataclass(frozen=True)
class NoticeSource:
    items: Callable[..., Awaitable[list[dict]]]
    seen: Callable[..., Awaitable[None]] | None = None


async def _nobody_shares(viewer_id: int, member_id: int) -> bool:
    return False


@dataclass
class Registry:
    # What the app serves: routes, template folders and the names templates may use.
    routes: list = field(default_factory=list)
    template_dirs: list[Path] = field(default_factory=list)
    template_globals: dict[str, Any] = field(default_factory=dict)
    template_filters: dict[str, Callable] = field(default_factory=dict)
    # Rooms: every new or edited message passes the filters (strictest wins) and the send checks.
    message_filters: list[MessageFilter] = field(default_factory=list)
    send_checks: list[SendCheck] = field(default_factory=list)
    # Profiles visible to "members who share a room with me" ask messaging.
    shares_room: SharesRoom = _nobody_shares
    # The moderators' one queue also lists other packages' items (consultation texts).
    queue_sources: list[QueueSource] = field(default_factory=list)
    # Donor reports show impact beside spending: (rt) -> [(code, label, figure or None when hidden)],
    # each figure already through the egress (network.core.disclosure).
    impact_sources: list = field(default_factory=list)
    # The notices page (moderation) also lists what other packages tell members.
    notice_sources: list[NoticeSource] = field(default_factory=list)
    # Erasure and retention: each model's rows as plain SQL, or through its package's eraser.
    row_erasers: dict[type, RowEraser] = field(default_factory=dict)
    # Partner organisations: who may act for one (routes declared with `acts_for`).
    represents: Represents | None = None
    # What an organisation's representatives can do from its page, from every package: (path with
    # "{id}" for the organisation's id, label).
    organisation_links: list[tuple[str, Any]] = field(default_factory=list)
    # Safety: what a duress passphrase opens.
    duress_login: DuressLogin | None = None
    # After a sign-in, with the member's participation key (consultations moves older tokens to it).
    sign_in_hooks: list[SignInHook] = field(default_factory=list)
    # Work done every minute and by `survnet purge`: (name, job).
    purge_jobs: list[tuple[str, PurgeJob]] = field(default_factory=list)
    # `survnet demo`: each package's demo content, in setup order.
    demo_seeds: list[DemoSeed] = field(default_factory=list)
    # Requests whose time must not be kept (saving an answer): no log line, no session touched.
    quiet_paths: list = field(default_factory=list)
    # `survnet <name>`: a package's own commands, (help, coroutine called with the runtime) -> printed.
    commands: dict[str, tuple[str, Callable[..., Awaitable[str]]]] = field(default_factory=dict)

    def is_quiet(self, method: str, path: str) -> bool:
        return method not in ("GET", "HEAD", "OPTIONS") and any(p.match(path) for p in self.quiet_paths)

    def add_templates(self, folder: Path, **names: Any) -> None:
        if folder not in self.template_dirs:
            self.template_dirs.append(folder)
        self.template_globals.update(names)
