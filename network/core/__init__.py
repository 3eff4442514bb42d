"""The app's core: settings, database, middleware, languages, templates, broker, crypto, access,
OpenAPI, errors, jobs and the command line. It knows no domain package."""

from __future__ import annotations

from pathlib import Path


def setup(registry, settings) -> None:
    from network.core import routes

    registry.routes += routes.routes
    registry.add_templates(Path(__file__).parent / "templates")
