"""Moderation: reports, one queue, actions that take effect live, appeals, watched words and the
identifying-details guard, the append-only log."""

from __future__ import annotations

from pathlib import Path


def setup(registry, settings) -> None:
    from moderation import actions, filters, routes, service

    registry.routes += routes.routes
    registry.add_templates(Path(__file__).parent / "templates", **routes.TEMPLATE_NAMES)
    registry.message_filters += [filters.guard, filters.Watched(on_flag=service.flag), service.new_member_hold]
    registry.send_checks.append(service.mute_refusal)
    registry.purge_jobs.append(("lifted sanctions", lambda rt: actions.lift_expired()))
