"""What follows an outcome: commitments (what will be done, by whom, by when), their status updates
over time, who follows them, and the public account of how they stand. No HTTP.

Those told of each update are found the way answers are, through the member's participation key:
the members who submitted answers (their participation's token) and those who follow the
consultation (a Follow row under a token of the same kind). Nothing stored links either to a member.
"""

from __future__ import annotations

from datetime import date

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from consultations.models import COMMITMENT_STATUSES, Commitment, CommitmentUpdate, Consultation, Follow, Participation
from consultations.participation import today, token_for, with_fresh_ids
from consultations.service import NOT_FOUND, _texts, editable, get, localized
from network.core.i18n import lazy as _l
from network.core.keys import random_id
from network.core.refusal import Refused, within
from network.members import vault
from network.members.models import Member

STATUS_NAMES = {"planned": _l("Planned"), "under_way": _l("Under way"), "done": _l("Done"),
                "dropped": _l("Dropped")}
MOST = 30  # commitments a consultation can carry
WHO_MAX = 200


def follow_token(key: bytes, consultation_id: int) -> str:
    return vault.keyed_token(key, "follow", consultation_id)


def _due(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise Refused("invalid_date", _l("Give the date as year-month-day, for example 2027-03-31."),
                      field="due_on") from None


def _status(value: str) -> str:
    if value not in COMMITMENT_STATUSES:
        raise Refused("invalid_status", _l("Choose from the list offered."), field="status")
    return value


async def add(actor: Member, consultation_id: int, what: dict, who: str, due_on=None) -> Commitment:
    """A commitment of a published outcome; those who took part and followers are told of it."""
    consultation = await editable(actor, consultation_id)
    if consultation.status != "published":
        raise Refused("status", _l("Publish the outcome before adding what will be done."), kind="conflict")
    what = _texts(what, "commitment", "what")
    who = within(who, WHO_MAX, "who")
    if not who:
        raise Refused("missing_text", _l("Please fill this in."), field="who")
    due = _due(due_on)
    async with in_transaction():
        count = await Commitment.filter(consultation=consultation).count()
        if count >= MOST:
            raise Refused("too_many", _l("An outcome can list at most %(max)s commitments."), kind="conflict",
                          max=MOST)
        commitment = await Commitment.create(consultation=consultation, position=count, what=what, who=who,
                                             due_on=due, changed_on=today())
        await CommitmentUpdate.create(consultation=consultation, commitment=commitment, status="planned",
                                      made_on=today())
    return commitment


async def owned(actor: Member, commitment_id: int) -> Commitment:
    """A commitment of a consultation the actor may change (else: not found, as for one that is not)."""
    commitment = await Commitment.get_or_none(id=commitment_id).select_related("consultation")
    if commitment is None:
        raise Refused("not_found", _l("That commitment was not found."), kind="not_found")
    await editable(actor, commitment.consultation_id)
    return commitment


async def post_update(actor: Member, commitment_id: int, status: str, note: dict) -> CommitmentUpdate:
    """A status update: planned, under way, done, or dropped (with the reason why)."""
    commitment = await owned(actor, commitment_id)
    status = _status(status)
    note = _texts(note, "note", "note", required=status == "dropped")
    async with in_transaction():
        update = await CommitmentUpdate.create(consultation_id=commitment.consultation_id, commitment=commitment,
                                               status=status, note=note, made_on=today())
        commitment.status, commitment.changed_on = status, today()
        if status == "dropped":
            commitment.reason = note
        await commitment.save(update_fields=["status", "changed_on", "reason"])
    return update


async def of(consultation: Consultation) -> list[tuple[Commitment, list[CommitmentUpdate]]]:
    commitments = await Commitment.filter(consultation=consultation).order_by("position", "id")
    updates: dict[int, list[CommitmentUpdate]] = {}
    for update in await CommitmentUpdate.filter(consultation=consultation).order_by("id"):
        updates.setdefault(update.commitment_id, []).append(update)
    return [(c, updates.get(c.id, [])) for c in commitments]


def days_late(commitment: Commitment, on: date | None = None) -> int:
    """How many days past its date a commitment still not done is (0 when it is not late)."""
    if commitment.due_on is None or commitment.status in ("done", "dropped"):
        return 0
    return max(0, ((on or today()) - commitment.due_on).days)


async def accountability(limit: int = 500) -> list[tuple[Commitment, Consultation]]:
    """Every commitment of a published outcome, the latest first, for the public account."""
    rows = await Commitment.filter(consultation__status="published").select_related("consultation") \
        .order_by("-id").limit(limit)
    return [(c, c.consultation) for c in rows]


def by_status(rows: list[tuple[Commitment, Consultation]]) -> dict[str, list]:
    """Commitments grouped by status, each group the latest first, the late ones the latest first."""
    grouped: dict[str, list] = {status: [] for status in COMMITMENT_STATUSES}
    for commitment, consultation in rows:
        grouped[commitment.status].append((commitment, consultation))
    for status in ("planned", "under_way"):
        grouped[status].sort(key=lambda row: -days_late(row[0]))
    return grouped


# Following -----------------------------------------------------------------------------------

async def followable(consultation_id: int) -> Consultation:
    consultation = await get(consultation_id)
    if consultation.status != "published":
        raise Refused("not_found", NOT_FOUND, kind="not_found")
    return consultation


async def is_following(key: bytes | None, consultation: Consultation) -> bool:
    return key is not None and await Follow.filter(consultation=consultation,
                                                   token=follow_token(key, consultation.id)).exists()


async def follow(key: bytes | None, consultation_id: int, on: bool) -> bool:
    consultation = await followable(consultation_id)
    if key is None:
        raise Refused("no_key", _l("Please sign in again: your session cannot open your key."), kind="unauthorized")
    token = follow_token(key, consultation.id)
    if not on:
        await Follow.filter(consultation=consultation, token=token).delete()
        return False
    if not await Follow.filter(consultation=consultation, token=token).exists():
        # Updates from before the follow are not news: the page shows them already.
        latest = await CommitmentUpdate.filter(consultation=consultation).order_by("-id").first()
        await with_fresh_ids(lambda: Follow.create(id=random_id(), consultation=consultation, token=token,
                                                   updates_seen=latest.id if latest else 0))
    return True


# Notices ------------------------------------------------------------------------------------

async def _listeners(key: bytes) -> list[Participation | Follow]:
    """The member's submitted participations and follows in consultations that have updates."""
    ids = await Consultation.filter(status="published", commitment_updates__id__not_isnull=True).distinct() \
        .order_by("-id").limit(200).values_list("id", flat=True)
    if not ids:
        return []
    parts = await Participation.filter(token__in=[token_for(key, cid) for cid in ids], submitted=True)
    follows = await Follow.filter(token__in=[follow_token(key, cid) for cid in ids])
    return [*parts, *follows]


async def _news(key: bytes) -> tuple[list, list[CommitmentUpdate]]:
    listeners = await _listeners(key)
    seen: dict[int, int] = {}
    for row in listeners:  # following and having answered: told once
        seen[row.consultation_id] = max(seen.get(row.consultation_id, 0), row.updates_seen)
    if not seen:
        return listeners, []
    news = Q(*[Q(consultation_id=cid, id__gt=last) for cid, last in seen.items()], join_type="OR")
    updates = await CommitmentUpdate.filter(news).select_related("commitment", "consultation").order_by("-id") \
        .limit(100)
    return listeners, updates


async def notice_items(rt, member: Member, key: bytes | None, locale: str) -> list[dict]:
    if key is None:
        return []
    from network.core.i18n import gettext

    _, updates = await _news(key)
    items = []
    for update in updates:
        consultation, commitment = update.consultation, update.commitment
        original = consultation.original_locale
        note = localized(update.note, locale, original)
        items.append({"day": update.made_on, "heading": localized(consultation.title, locale, original),
                      "text": localized(commitment.what, locale, original),
                      "status": gettext(locale, STATUS_NAMES[update.status]), "note": note,
                      "href": f"/consultations/{consultation.id}/commitments"})
    return items


async def notices_seen(rt, member: Member, key: bytes | None) -> None:
    if key is None:
        return
    listeners, updates = await _news(key)
    newest: dict[int, int] = {}
    for update in updates:
        newest[update.consultation_id] = max(newest.get(update.consultation_id, 0), update.id)
    for row in listeners:
        if newest.get(row.consultation_id, 0) > row.updates_seen:
            await type(row).filter(id=row.id).update(updates_seen=newest[row.consultation_id])


async def follows_of(member_id: int, key: bytes | None, connection) -> list[int]:
    """The registry's way to the member's follows: only their key finds them."""
    if key is None:
        return []
    ids = await Consultation.all().using_db(connection).values_list("id", flat=True)
    tokens = [follow_token(key, cid) for cid in ids]
    found: list[int] = []
    for start in range(0, len(tokens), 500):
        found += await Follow.filter(token__in=tokens[start:start + 500]).using_db(connection) \
            .values_list("id", flat=True)
    return found
