"""Moderated real-time rooms: rooms, messages, the WebSocket, presence and retention."""

from __future__ import annotations

from pathlib import Path


def setup(registry, settings) -> None:
    from messaging import demo, events, routes, service
    from messaging.models import Message
    from network.core.i18n import lazy as _l

    registry.routes += routes.routes
    registry.add_templates(Path(__file__).parent / "templates", **routes.TEMPLATE_NAMES)
    registry.shares_room = service.shares_room
    # Erasure and retention change messages through the room's event log, so open screens follow.
    registry.row_erasers[Message] = events.erase_rows
    registry.demo_seeds.append(demo.seed)
    registry.organisation_links.append(("/organisations/{id}/rooms/new", _l("Open a room for the organisation")))
