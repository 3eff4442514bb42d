"""What follows an outcome: commitments (what will be done, by whom, by when), their status updates
over time, who follows them, and the public account of how they stand. No HTTP.

Those told of each update are found the way answers are, through the member's participation key:
the members who submitted answers (their participation's token) and those who follow the
consultation (a Follow row under a token of the same kind). Nothing stored links either to a member.
"""

from __future__ import annotations

from datetime import date

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from consultations import keyed
from consultations.models import COMMITMENT_STATUSES, Commitment, CommitmentUpdate, Consultation, Follow, Participation
from consultations.participation import today, token_for
from consultations.service import NOT_FOUND, _texts, editable, get, localized
from network.core import dates
from network.core.i18n import gettext
from network.core.i18n import lazy as _l
from network.core.keys import random_id
from network.core.refusal import Refused, needed
from network.members import cursor, vault
from network.members.models import Member

STATUS_NAMES = {"planned": _l("Planned"), "under_way": _l("Under way"), "done": _l("Done"),
                "dropped": _l("Dropped")}
MOST = 30  # commitments a consultation can carry
SHOWN = 100  # updates listed at once: the rest come next time
WHO_MAX = 200


def follow_token(key: bytes, consultation_id: int) -> str:
    return vault.keyed_token(key, "follow", consultation_id)





def _due(value) -> date | None:
    """A due date, or none."""
    return None if value in (None, "") else dates.day(value, "due_on")


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
    who = needed(who, WHO_MAX, "who")
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


async def follow(key: bytes | None, member: Member, consultation_id: int, on: bool) -> bool:
    consultation = await followable(consultation_id)
    if key is None:
        raise Refused("no_key", _l("Please sign in again: your session cannot open your key."), kind="unauthorized")
    token = follow_token(key, consultation.id)
    if not on:
        await Follow.filter(consultation=consultation, token=token).delete()
        return False
    if await Follow.filter(consultation=consultation, token=token).exists():
        return True
    told = await cursor.read(member, key, "updates")
    took_part = await Participation.filter(token=token_for(key, consultation.id), submitted=True).exists()
    if str(consultation.id) not in told and not took_part:
        # Updates from before the follow are not news: the page shows them already.
        latest = await CommitmentUpdate.filter(consultation=consultation).order_by("-id").first()
        await cursor.write(member, key, "updates", {**told, str(consultation.id): latest.id if latest else 0})
    try:
        await Follow.create(id=random_id(), consultation=consultation, token=token)
    except IntegrityError:
        pass  # followed twice at once: the unique token keeps one (a drawn id meeting another, too)
    return True


# Notices ------------------------------------------------------------------------------------

async def _news(member: Member, key: bytes) -> list[CommitmentUpdate]:
    """Updates of the consultations the member took part in or follows that they have not been told
    of, the oldest first (so that what is shown, marked told, never leaves an older one untold)."""
    ids = set(await CommitmentUpdate.all().distinct().values_list("consultation_id", flat=True))
    parts = await keyed.found((token_for(key, cid) for cid in ids), lambda chunk: Participation.filter(
        token__in=chunk, submitted=True).values_list("consultation_id", flat=True))
    follows = await keyed.found((follow_token(key, cid) for cid in ids), lambda chunk: Follow.filter(
        token__in=chunk).values_list("consultation_id", flat=True))
    listening = set(parts) | set(follows)
    if not listening:
        return []
    told = await cursor.read(member, key, "updates")
    news = Q(*[Q(consultation_id=cid, id__gt=told.get(str(cid), 0)) for cid in listening], join_type="OR")
    return await CommitmentUpdate.filter(news).select_related("commitment", "consultation").order_by("id") \
        .limit(SHOWN)


async def notice_items(rt, member: Member, key: bytes | None, locale: str) -> list[dict]:
    if key is None:
        return []
    items = []
    for update in reversed(await _news(member, key)):
        consultation, commitment = update.consultation, update.commitment
        original = consultation.original_locale
        items.append({"day": update.made_on, "heading": localized(consultation.title, locale, original),
                      "text": localized(commitment.what, locale, original),
                      "status": gettext(locale, STATUS_NAMES[update.status]),
                      "note": localized(update.note, locale, original),
                      "href": f"/consultations/{consultation.id}/commitments",
                      "told": (consultation.id, update.id)})
    return items


async def notices_seen(rt, member: Member, key: bytes | None, shown: list[dict]) -> None:
    """What was shown is told: exactly those updates, not any that came since."""
    if key is None or not shown:
        return
    told = await cursor.read(member, key, "updates")
    for consultation_id, update_id in (item["told"] for item in shown):
        told[str(consultation_id)] = max(told.get(str(consultation_id), 0), update_id)
    await cursor.write(member, key, "updates", told)


async def follows_of(member_id: int, key: bytes | None, connection) -> list[int]:
    """The registry's way to the member's follows: only their key finds them."""
    if key is None:
        return []
    ids = await Consultation.all().using_db(connection).values_list("id", flat=True)
    return await keyed.found((follow_token(key, cid) for cid in ids), lambda chunk: Follow.filter(
        token__in=chunk).using_db(connection).values_list("id", flat=True))
