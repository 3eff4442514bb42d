"""Members set the agenda: proposals of a topic or a question for a future consultation, supported
by others, reviewed by moderators for identifying details before anyone sees them, and answered by
policymakers (taken up, with the consultation; or not, with the reason). No HTTP.

A proposal's author and its supporters are found only through their participation keys, as
answers are: the author by a token of the proposal under their key, each supporter by a support
row under another. A support counts once per key and names nobody; the count is of the rows, so
an erased supporter's support goes with them.
"""

from __future__ import annotations

from datetime import datetime, time, timezone

from tortoise.exceptions import IntegrityError
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from consultations import keyed
from consultations.models import PROPOSAL_KINDS, Consultation, Proposal, Support
from consultations.participation import today, with_fresh_ids
from consultations.review import decided
from consultations.service import _texts, editable, localized
from network.core.i18n import gettext
from network.core.i18n import lazy as _l
from network.core.keys import random_id
from network.core.refusal import Refused, needed
from network.core.settings import LOCALES
from network.members import cursor, vault
from network.members.models import Member

TEXT_MAX = 2000
NOT_FOUND = _l("That proposal was not found.")
SIGN_IN_AGAIN = _l("Please sign in again: your session cannot open your key.")
KIND_NAMES = {"topic": _l("A topic"), "question": _l("A question")}
STATUS_NAMES = {"pending": _l("Waiting for review"), "shown": _l("Open for support"), "withheld": _l("Not shown"),
                "taken_up": _l("Taken up"), "declined": _l("Not taken up")}
ANSWERED = ("taken_up", "declined")
VISIBLE = ("shown", *ANSWERED)
QUEUE_LABEL = _l("A member's proposal for a consultation")


def author_token(key: bytes, proposal_id: int) -> str:
    return vault.keyed_token(key, "proposal", proposal_id)


def support_token(key: bytes, proposal_id: int) -> str:
    return vault.keyed_token(key, "support", proposal_id)


def _key(key: bytes | None) -> bytes:
    if key is None:
        raise Refused("no_key", SIGN_IN_AGAIN, kind="unauthorized")
    return key


async def propose(key: bytes | None, member: Member, kind: str, text: str, locale: str) -> Proposal:
    """A new proposal, waiting for a moderator; its author supports it from the start."""
    key = _key(key)
    if kind not in PROPOSAL_KINDS:
        raise Refused("invalid_kind", _l("Choose from the list offered."), field="kind")
    text = needed(text, TEXT_MAX, "text")
    locale = locale if locale in LOCALES else "en"

    async def store():
        proposal_id = random_id()
        async with in_transaction() as connection:
            proposal = await Proposal.create(id=proposal_id, author_token=author_token(key, proposal_id), kind=kind,
                                             locale=locale, text=text, proposed_on=today(),
                                             using_db=connection)
            await Support.create(id=random_id(), proposal=proposal, token=support_token(key, proposal_id),
                                 using_db=connection)
        return proposal

    return await with_fresh_ids(store)


async def get(proposal_id: int, statuses=VISIBLE) -> Proposal:
    proposal = await Proposal.get_or_none(id=proposal_id, status__in=list(statuses))
    if proposal is None:
        raise Refused("not_found", NOT_FOUND, kind="not_found")
    return proposal


async def shown(limit: int = 200) -> list[Proposal]:
    """What members see: reviewed proposals, the most supported first (`supporters` on each)."""
    return await Proposal.filter(status__in=list(VISIBLE)).annotate(supporters=Count("supports")) \
        .prefetch_related("taken_up_in").order_by("-supporters", "-proposed_on", "id").limit(limit)


async def supporters(proposal: Proposal) -> int:
    return await Support.filter(proposal=proposal).count()


async def supported(key: bytes | None, proposals: list[Proposal]) -> set[int]:
    if key is None or not proposals:
        return set()
    tokens = {support_token(key, p.id): p.id for p in proposals}
    return {tokens[t] for t in await keyed.found(tokens, lambda chunk: Support.filter(token__in=chunk)
                                                  .values_list("token", flat=True))}


async def mine(key: bytes | None) -> list[Proposal]:
    """The member's own proposals, whatever their state (only their key finds them)."""
    if key is None:
        return []
    ids = await Proposal.all().values_list("id", flat=True)
    found = await keyed.found((author_token(key, pid) for pid in ids),
                              lambda chunk: Proposal.filter(author_token__in=chunk))
    return sorted(found, key=lambda p: (p.proposed_on, p.id), reverse=True)


async def support(key: bytes | None, proposal_id: int, on: bool) -> Proposal:
    """Supports a proposal once (again is nothing), or takes the support back."""
    key = _key(key)
    proposal = await get(proposal_id, ("shown",))
    token = support_token(key, proposal.id)
    if not on:
        await Support.filter(proposal=proposal, token=token).delete()
    elif not await Support.filter(proposal=proposal, token=token).exists():
        try:
            await Support.create(id=random_id(), proposal=proposal, token=token)
        except IntegrityError:
            pass  # the same member twice at once: the unique token keeps one (a drawn id meeting another, too)
    return proposal


# Moderators ---------------------------------------------------------------------------------

async def pending(limit: int = 50) -> list[Proposal]:
    return await Proposal.filter(status="pending").order_by("proposed_on", "id").limit(limit)


async def review(proposal_id: int, decision: str, redacted: str | None = None) -> Proposal:
    proposal = await get(proposal_id, ("pending",))
    outcome, proposal.shown_text = decided(proposal.text, decision, redacted)
    proposal.status = "withheld" if outcome == "withheld" else "shown"
    await proposal.save(update_fields=["status", "shown_text"])
    return proposal


def _midnight(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


async def queue_items() -> list[dict]:
    """Proposals waiting for review, in the moderators' one queue (a registry queue source)."""
    label = {locale: gettext(locale, QUEUE_LABEL) for locale in LOCALES}
    return [{"kind": "text", "id": p.id, "priority": 1, "created_at": _midnight(p.proposed_on), "text": p.text,
             "question": label, "action_url": f"/proposals/{p.id}/review"} for p in await pending(200)]


# Policymakers -------------------------------------------------------------------------------

async def answer(actor: Member, proposal_id: int, decision: str, consultation_id: int | None,
                 reason: dict) -> Proposal:
    """Taken up (with the consultation that takes it up) or not (with the reason); supporters are told."""
    proposal = await get(proposal_id, ("shown", *ANSWERED))
    if proposal.status in ANSWERED and actor.role != "admin":
        # Answered, it is changed only by whoever holds the consultation that took it up (or an administrator).
        taken = await Consultation.get_or_none(id=proposal.taken_up_in_id) if proposal.taken_up_in_id else None
        if taken is None or taken.owner_id != actor.id:
            raise Refused("answered", _l("This proposal has been answered already."), kind="conflict")
    if decision == "taken_up":
        if not consultation_id:
            raise Refused("missing_consultation", _l("Choose the consultation that takes it up."),
                          field="consultation_id")
        consultation: Consultation | None = await editable(actor, consultation_id)
        reason = _texts(reason, "reason", "reason", required=False)
    elif decision == "declined":
        consultation = None
        reason = _texts(reason, "reason", "reason")
    else:
        raise Refused("invalid_decision", _l("Choose from the list offered."), field="decision")
    proposal.status, proposal.taken_up_in, proposal.answer = decision, consultation, reason
    proposal.answered_on, proposal.answers = today(), proposal.answers + 1  # each answer is told, a changed one too
    await proposal.save(update_fields=["status", "taken_up_in_id", "answer", "answered_on", "answers"])
    return proposal


def public_consultation(proposal: Proposal) -> Consultation | None:
    """The consultation that took a proposal up, once it is more than a draft (a draft is its owner's)."""
    taken = proposal.taken_up_in if proposal.taken_up_in_id else None
    return taken if taken is not None and taken.status != "draft" else None


# Notices ------------------------------------------------------------------------------------

async def _untold(member: Member, key: bytes) -> list[Proposal]:
    """Answered proposals the member supports and has not been told the (latest) answer of."""
    answered = await Proposal.filter(status__in=list(ANSWERED)).values_list("id", flat=True)
    supported = await keyed.found((support_token(key, pid) for pid in answered), lambda chunk: Support.filter(
        token__in=chunk).values_list("proposal_id", flat=True))
    if not supported:
        return []
    told = await cursor.read(member, key, "answers")
    return [p for p in await Proposal.filter(id__in=supported).prefetch_related("taken_up_in")
            if told.get(str(p.id), 0) < p.answers]


async def notice_items(rt, member: Member, key: bytes | None, locale: str) -> list[dict]:
    if key is None:
        return []
    items = []
    for proposal in await _untold(member, key):
        taken = public_consultation(proposal)
        items.append({
            "day": proposal.answered_on, "heading": localized({proposal.locale: proposal.shown_text or ""}, locale,
                                                              proposal.locale),
            "status": gettext(locale, STATUS_NAMES[proposal.status]),
            "text": localized(taken.title, locale, taken.original_locale) if taken else "",
            "note": localized(proposal.answer, locale, proposal.locale),
            "href": f"/proposals/{proposal.id}", "told": (proposal.id, proposal.answers)})
    return sorted(items, key=lambda i: i["day"], reverse=True)


async def notices_seen(rt, member: Member, key: bytes | None, shown: list[dict]) -> None:
    if key is None or not shown:
        return
    told = await cursor.read(member, key, "answers")
    for proposal_id, answers in (item["told"] for item in shown):
        told[str(proposal_id)] = max(told.get(str(proposal_id), 0), answers)
    await cursor.write(member, key, "answers", told)


# The registry of personal data ---------------------------------------------------------------

async def proposals_of(member_id: int, key: bytes | None, connection) -> list[int]:
    if key is None:
        return []
    ids = await Proposal.all().using_db(connection).values_list("id", flat=True)
    return await keyed.found((author_token(key, pid) for pid in ids), lambda chunk: Proposal.filter(
        author_token__in=chunk).using_db(connection).values_list("id", flat=True))


async def supports_of(member_id: int, key: bytes | None, connection) -> list[int]:
    if key is None:
        return []
    ids = await Proposal.all().using_db(connection).values_list("id", flat=True)
    return await keyed.found((support_token(key, pid) for pid in ids), lambda chunk: Support.filter(
        token__in=chunk).using_db(connection).values_list("id", flat=True))
