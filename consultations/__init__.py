"""Structured consultations on policy drafts: drafts in sections, questions, consent, answers,
suppressed results, moderator review of free text, outcomes."""

from __future__ import annotations

from pathlib import Path


def setup(registry, settings) -> None:
    from consultations import demo, review, routes, views

    registry.routes += routes.routes
    registry.add_templates(Path(__file__).parent / "templates", **views.TEMPLATE_NAMES)
    registry.template_filters.update(views.TEMPLATE_FILTERS)
    registry.queue_sources.append(lambda rt: review.queue_items())
    registry.demo_seeds.append(demo.seed)
