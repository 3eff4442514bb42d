"""Structured consultations on policy drafts: drafts in sections, questions, consent, answers,
suppressed results, moderator review of free text, outcomes."""

from __future__ import annotations

import re
from pathlib import Path


def setup(registry, settings) -> None:
    from consultations import (
        commitments,
        demo,
        demo_followup,
        heard,
        participation,
        proposals,
        review,
        routes,
        routes_commitments,
        routes_heard,
        routes_organisations,
        routes_proposals,
        views,
    )
    from network.core.i18n import lazy as _l
    from network.core.registry import NoticeSource

    registry.routes += [*routes.routes, *routes_commitments.routes, *routes_proposals.routes, *routes_heard.routes,
                        *routes_organisations.routes]
    # Partner organisations answer in their own name, apart from members' answers (organisation_responses).
    registry.organisation_links.append(("/organisations/{id}/consultations",
                                        _l("Answer consultations for the organisation")))
    registry.add_templates(Path(__file__).parent / "templates", **views.TEMPLATE_NAMES,
                           commitment_status_names=commitments.STATUS_NAMES,
                           proposal_kind_names=proposals.KIND_NAMES, proposal_status_names=proposals.STATUS_NAMES)
    registry.template_filters.update(views.TEMPLATE_FILTERS)
    registry.impact_sources.append(heard.impact)
    registry.queue_sources += [lambda rt: review.queue_items(), lambda rt: proposals.queue_items()]
    registry.notice_sources += [NoticeSource(participation.outcome_notices),
                                NoticeSource(commitments.notice_items, commitments.notices_seen),
                                NoticeSource(proposals.notice_items, proposals.notices_seen)]
    registry.demo_seeds.append(demo.seed)
    registry.demo_seeds.append(demo_followup.seed)
    # Saving consent or answers leaves no line in the log and no touch on the session: no time to match.
    # So is what is kept under their key after it: a proposal, a support, a follow.
    registry.quiet_paths += [re.compile(r"^/consultations/\d+/(?:consent|answer|withdraw|follow)$"),
                             re.compile(r"^/api/v1/consultations/\d+/(?:consent|answers|follow)$"),
                             re.compile(r"^(?:/api/v1)?/proposals(?:/\d+/support)?$")]
    registry.sign_in_hooks.append(participation.move_older_tokens)

    async def retire(rt) -> str:
        return f"retired {await participation.retire_server_tokens(rt)} participation tokens of the server's kind"

    registry.commands["retire-server-tokens"] = (
        "make every participation token still computable by the server unreachable (see the README)", retire)
