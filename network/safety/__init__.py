"""Safety for members where speaking out is unsafe: quick exit, discreet mode, the duress
passphrase and its decoy, hiding, panic wipe."""

from __future__ import annotations

from pathlib import Path


def setup(registry, settings) -> None:
    from network.safety import routes, service

    registry.routes += routes.routes
    registry.add_templates(Path(__file__).parent / "templates")
    registry.duress_login = service.duress_login
