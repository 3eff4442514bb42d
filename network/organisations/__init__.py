"""Partner organisations: local women's rights and survivor-led groups, their profiles and the members
who represent them. Who may act for an organisation is answered here, for every route (network.core.access)."""

from __future__ import annotations

from pathlib import Path


def setup(registry, settings) -> None:
    from network.organisations import demo, labels, routes, service

    registry.routes += routes.routes
    registry.represents = service.represents
    registry.add_templates(Path(__file__).parent / "templates", organisation_kinds=labels.KIND_NAMES)
    registry.demo_seeds.append(demo.seed)
