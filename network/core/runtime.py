"""What the services share while the app runs: settings, the registry, templates, the hasher,
counters and the broker."""

from __future__ import annotations

import asyncio
import contextvars
from dataclasses import dataclass, field
from typing import Any

import jinja2

from network.core import sandbox
from network.core.broker import Broker
from network.core.counters import MemoryCounters, RedisCounters
from network.core.hashing import Hasher, default_concurrency
from network.core.registry import Registry
from network.core.settings import Settings
from network.core.templating import build_environment


@dataclass
class Runtime:
    settings: Settings
    broker: Broker
    hasher: Hasher
    registry: Registry = field(default_factory=Registry)
    templates: jinja2.Environment | None = None
    counters: MemoryCounters | RedisCounters = field(default_factory=MemoryCounters)
    tasks: set = field(default_factory=set)
    # Open WebSocket connections of this process, and the room presence counter (set by network/app.py).
    sockets: set = field(default_factory=set)
    presence: Any = None
    # One-off work this process has seen finished for good (no older tokens left to move, say), so
    # no request looks for it again.
    settled: set = field(default_factory=set)

    def spawn(self, coro) -> asyncio.Task | None:
        """Work that goes on after the response; kept referenced until it is done. None from a decoy's
        undone action (network.core.sandbox): nothing it did may go on."""
        if sandbox.active():
            coro.close()
            return None
        # A context of its own: background work must not run inside the request's transaction.
        task = asyncio.create_task(coro, context=contextvars.Context())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    @classmethod
    def create(cls, settings: Settings, broker: Broker, registry: Registry | None = None,
               hasher: Hasher | None = None) -> "Runtime":
        registry = registry or Registry()
        hasher = hasher or Hasher(settings.argon2_memory_kib, settings.argon2_time_cost,
                                  settings.argon2_parallelism, settings.hash_concurrency or default_concurrency())
        templates = build_environment(registry.template_dirs, registry.template_globals, registry.template_filters)
        return cls(settings=settings, broker=broker, hasher=hasher, registry=registry, templates=templates)

    def started(self) -> None:
        """Once the broker is connected, counters move to Redis so every worker shares them."""
        if self.broker.name == "redis":
            self.counters = RedisCounters(self.broker.client, self.settings.redis_prefix)
