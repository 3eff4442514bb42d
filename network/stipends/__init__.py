"""Stipends for travel, mobile data and time off: funds, budgets, approvals, payouts, donor reports."""

from __future__ import annotations

from pathlib import Path


def setup(registry, settings) -> None:
    from network.stipends import demo, routes, service

    registry.routes += routes.routes
    registry.add_templates(Path(__file__).parent / "templates", **routes.TEMPLATE_NAMES)
    registry.erase_hooks.append(lambda rt, member, messages: service.erase_member(member, messages))
    registry.purge_jobs.append(("payout details", lambda rt: service.purge_payout_details(rt.settings)))
    registry.demo_seeds.append(demo.seed)
