"""Stipends for travel, mobile data and time off: funds, budgets, approvals, payouts, donor reports."""

from __future__ import annotations

from pathlib import Path


def setup(registry, settings) -> None:
    from network.stipends import demo, routes, service

    registry.routes += routes.routes
    registry.purge_jobs.append(("monthly data renewals", service.renewal_job))
    registry.add_templates(Path(__file__).parent / "templates", **routes.TEMPLATE_NAMES)
    registry.demo_seeds.append(demo.seed)
