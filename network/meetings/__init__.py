"""Meetings: consultation meetings, trainings and gatherings, places within capacity with a waiting
list, travel and time-off stipends offered with each place, attendance and reminders."""

from __future__ import annotations

from pathlib import Path


def setup(registry, settings) -> None:
    from network.core.i18n import lazy as _l
    from network.core.registry import NoticeSource
    from network.meetings import demo, routes, service

    registry.routes += routes.routes
    registry.add_templates(Path(__file__).parent / "templates", meeting_kind_names=service.KIND_NAMES,
                           place_status_names=service.PLACE_STATUS_NAMES)
    registry.notice_sources.append(NoticeSource(service.reminders))
    registry.demo_seeds.append(demo.seed)
    registry.impact_sources.append(service.impact)
    registry.organisation_links.append(("/organisations/{id}/meetings/new", _l("Organise a meeting for the organisation")))
