"""Stipends for travel, mobile data and time off: funds, budgets, approvals, payouts, donor reports."""

from __future__ import annotations

from pathlib import Path


def setup(registry, settings) -> None:
    from network.stipends import demo, routes

    registry.routes += routes.routes
    registry.add_templates(Path(__file__).parent / "templates", **routes.TEMPLATE_NAMES)
    registry.demo_seeds.append(demo.seed)
