"""Structured consultations on policy drafts: drafts in sections, questions, consent, answers,
suppressed results, moderator review of free text, outcomes."""

from __future__ import annotations

import re
from pathlib import Path


def setup(registry, settings) -> None:
    from consultations import demo, participation, review, routes, views

    registry.routes += routes.routes
    registry.add_templates(Path(__file__).parent / "templates", **views.TEMPLATE_NAMES)
    registry.template_filters.update(views.TEMPLATE_FILTERS)
    registry.queue_sources.append(lambda rt: review.queue_items())
    registry.demo_seeds.append(demo.seed)
    # Saving consent or answers leaves no line in the log and no touch on the session: no time to match.
    registry.quiet_paths += [re.compile(r"^/consultations/\d+/(?:consent|answer|withdraw)$"),
                             re.compile(r"^/api/v1/consultations/\d+/(?:consent|answers)$")]
    registry.sign_in_hooks.append(participation.move_older_tokens)

    async def retire(rt) -> str:
        return f"retired {await participation.retire_server_tokens(rt)} participation tokens of the server's kind"

    registry.commands["retire-server-tokens"] = (
        "make every participation token still computable by the server unreachable (see the README)", retire)
