"""Moderated real-time rooms: rooms, messages, the WebSocket, presence and retention."""

from __future__ import annotations

from pathlib import Path


def setup(registry, settings) -> None:
    from messaging import demo, events, routes, service

    registry.routes += routes.routes
    registry.add_templates(Path(__file__).parent / "templates", **routes.TEMPLATE_NAMES)
    registry.shares_room = service.shares_room
    registry.export_hooks.append(lambda rt, member, key: service.export_member(member))
    registry.erase_hooks.append(service.erase_member)
    registry.purge_jobs.append(("expired messages", service.purge_expired))
    registry.purge_jobs.append(("old room events", lambda rt: events.purge_old(rt.settings.room_log_days)))
    registry.demo_seeds.append(demo.seed)
