"""Small grants to partner organisations: a short form, light reporting below a threshold, cluster
grants with one report, and mentoring kept with the grant. Money moves through the stipends' funds,
budgets, approvals and payments (network.stipends), never a copy of them."""

from __future__ import annotations

from pathlib import Path


def setup(registry, settings) -> None:
    from network.core.i18n import lazy as _l
    from network.grants import demo, labels, routes

    registry.routes += routes.routes
    registry.add_templates(Path(__file__).parent / "templates", mentoring_topics=labels.TOPIC_NAMES,
                           mentoring_statuses=labels.MENTORING_STATUS_NAMES, report_questions=labels.QUESTIONS)
    registry.demo_seeds.append(demo.seed)
    registry.organisation_links.append(("/organisations/{id}/grants", _l("Grants and mentoring")))
