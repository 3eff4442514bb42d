"""Taking part: consent, answers, withdrawal, outcomes heard. No HTTP.

A member's participation is found only through their participation key (members.vault): its token
is an HMAC of the consultation under that key, which only the member's session can open. Nothing
stored beside it narrows down who: its id and its answers' ids are random, its dates are days, and
the attributes the member agreed to share for breakdowns go into SharedAnswer copies that point at
no participation (their ids are sealed under the member's key, so only the member can withdraw them).
"""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime, timezone

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from consultations import keyed
from consultations.models import Answer, Consultation, Participation, Question, SharedAnswer
from consultations.schemas import AnswerIn
from consultations.service import DEFAULT_TEXT_MAX, NOT_FOUND, can_edit, get, in_audience, is_accepting, localized
from network.core.hashing import split
from network.core.i18n import gettext
from network.core.i18n import lazy as _l
from network.core.keys import digest, random_id
from network.core.refusal import Refused
from network.members import vault
from network.members.models import Member
from network.members.profiles import counted_as

# The sharing a consent asks for now (Participation.share_scope): language, region, age band and the
# dimensions the member's profile says they may be counted under.
SHARE_SCOPE = 2
SIGN_IN_AGAIN = _l("Please sign in again to take part: your session cannot open your answers.")


def today() -> date:
    return datetime.now(timezone.utc).date()


async def with_fresh_ids(work, attempts: int = 5):
    """Runs `work` (which draws random ids); should two ids ever meet, it runs again with new ones."""
    for attempt in range(attempts):
        try:
            return await work()
        except IntegrityError:
            if attempt == attempts - 1:
                raise


def token_for(key: bytes, consultation_id: int) -> str:
    return vault.participation_token(key, consultation_id)


async def find(key: bytes | None, consultation: Consultation) -> Participation | None:
    if key is None:
        return None
    return await Participation.get_or_none(consultation=consultation, token=token_for(key, consultation.id))


async def readable(key: bytes | None, member: Member, consultation_id: int) -> tuple[Consultation, Participation | None]:
    """A consultation this member may read: open to them, or one they took part in."""
    consultation = await get(consultation_id)
    participation = await find(key, consultation)
    if participation is None and not (is_accepting(consultation) and in_audience(consultation, member)) \
            and not can_edit(member, consultation):
        raise Refused("not_found", NOT_FOUND, kind="not_found")
    return consultation, participation


async def consent(key: bytes | None, member: Member, consultation_id: int, share_profile: bool) -> Participation:
    consultation = await get(consultation_id)
    if not (is_accepting(consultation) and in_audience(consultation, member)):
        raise Refused("not_open", _l("This consultation is not open to you."), kind="forbidden")
    if key is None:
        raise Refused("no_key", SIGN_IN_AGAIN, kind="unauthorized")
    participation = await find(key, consultation)
    if participation is None:
        return await with_fresh_ids(lambda: Participation.create(
            id=random_id(), consultation=consultation, token=token_for(key, consultation.id),
            consent_version=consultation.consent_version, consented_on=today(), share_profile=share_profile,
            share_scope=SHARE_SCOPE))
    participation.consent_version, participation.consented_on = consultation.consent_version, today()
    participation.share_profile, participation.share_scope = share_profile, SHARE_SCOPE
    await participation.save(update_fields=["consent_version", "consented_on", "share_profile", "share_scope"])
    if participation.submitted:
        await _share(key, member, participation)
    return participation


def _answer_rows(question: Question, given: AnswerIn) -> list[dict]:
    """The rows one answer becomes, or a refusal naming the question."""
    field = f"answers.{question.id}"
    bad = Refused("invalid_answer", _l("This answer does not fit the question."), field=field)
    count = len(question.options)
    if question.kind == "single":
        if given.option is None:
            return []
        if not 0 <= given.option < count:
            raise bad
        return [{"option": given.option}]
    if question.kind == "multiple":
        chosen = list(dict.fromkeys(given.options or []))
        if any(not 0 <= o < count for o in chosen):
            raise bad
        if len(chosen) > (question.max_choices or count):
            raise Refused("too_many", _l("Choose at most %(max)s."), field=field, max=question.max_choices)
        return [{"option": o} for o in chosen]
    if question.kind == "ranking":
        order = given.ranking or []
        if len(set(order)) != len(order) or any(not 0 <= o < count for o in order):
            raise bad
        return [{"option": o, "rank": position + 1} for position, o in enumerate(order)]
    if question.kind == "scale":
        if given.value is None:
            return []
        if not question.scale_min <= given.value <= question.scale_max:
            raise bad
        return [{"value": given.value}]
    text = (given.text or "").strip()
    if len(text) > (question.max_length or DEFAULT_TEXT_MAX):
        raise Refused("too_long", _l("This answer is longer than allowed (%(max)s characters)."), field=field,
                      max=question.max_length)
    return [{"text": text, "review": "pending"}] if text else []


async def save_answers(key: bytes | None, member: Member, consultation_id: int, answers: list[AnswerIn],
                       submit: bool) -> Participation:
    """Saves progress (or submits); every answer is checked before anything is written."""
    consultation = await get(consultation_id)
    if not is_accepting(consultation):
        raise Refused("closed", _l("This consultation is closed."), kind="conflict")
    participation = await find(key, consultation)
    if participation is None:
        raise Refused("no_consent", _l("Please read and agree to the consent text first."), kind="forbidden")
    if participation.consent_version != consultation.consent_version:
        raise Refused("consent_changed", _l("The consent text has changed. Please read it and agree again."),
                      kind="conflict")
    questions = {q.id: q for q in await Question.filter(consultation=consultation)}
    rows: dict[int, list[dict]] = {}
    for given in answers:
        question = questions.get(given.question_id)
        if question is None:
            raise Refused("invalid_answer", _l("This answer does not fit the question."),
                          field=f"answers.{given.question_id}")
        rows[question.id] = _answer_rows(question, given)
    sealed = _opened(key, participation)
    young = member.age_band == "under18"

    async def store():
        async with in_transaction() as connection:
            await Answer.filter(participation=participation, question_id__in=list(rows)).using_db(connection).delete()
            # A young member's texts kept apart before: those of the questions answered again go too.
            await Answer.filter(id__in=sealed["texts"], question_id__in=list(rows)).using_db(connection).delete()
            sealed["texts"] = list(await Answer.filter(id__in=sealed["texts"]).using_db(connection)
                                   .values_list("id", flat=True))
            await Answer.bulk_create([Answer(id=random_id(), participation=participation, question_id=qid, **row)
                                      for qid, items in rows.items() for row in items], using_db=connection)
            if submit:
                answered = set(await Answer.filter(participation=participation).using_db(connection)
                               .values_list("question_id", flat=True))
                missing = [q for q in questions.values() if q.required and q.id not in answered]
                if missing:
                    raise Refused("required", _l("Please answer the questions marked as needed."),
                                  field=f"answers.{missing[0].id}")
                participation.submitted, participation.submitted_on = True, today()
                await participation.save(using_db=connection, update_fields=["submitted", "submitted_on"])
            if participation.submitted:
                if young:
                    # Submitted, a young member's texts leave their participation: nothing stored then
                    # says which participation is an under-18 member's (review.released_for shows them
                    # only with at least k others'); their ids are sealed under the member's key.
                    texts = list(await Answer.filter(participation=participation, text__not_isnull=True)
                                 .using_db(connection).values_list("id", flat=True))
                    await Answer.filter(id__in=texts).using_db(connection).update(participation_id=None)
                    sealed["texts"] += texts
                await _seal(key, participation, sealed, connection)

    await with_fresh_ids(store)
    if participation.submitted:
        await _share(key, member, participation)
    return participation


def _attributes(member: Member, scope: int) -> dict[str, str]:
    """What a member's consent to share covered: the dimensions of their profile only once asked."""
    shared = {"language": (member.languages or [None])[0], "region": member.region or None,
              "age_band": member.age_band if member.age_band != "unsaid" else None}
    if scope >= 2:
        shared.update({name: value for name, value in counted_as(member).items() if value != "unsaid"})
    return {name: value for name, value in shared.items() if value}


def _sealing(key: bytes) -> bytes:
    return split(key, b"shared answers")


def _opened(key: bytes | None, participation: Participation) -> dict[str, list[int]]:
    """What is kept apart from a participation, its ids sealed under the member's key: the breakdown
    copies, and a young member's texts. (An older seal holds the copies alone, as a list.)"""
    opened = vault.unwrap(participation.shared, _sealing(key), f"shared:{participation.id}") if key else None
    data = json.loads(opened) if opened else []
    if isinstance(data, list):
        return {"copies": data, "texts": []}
    return {"copies": list(data.get("copies", [])), "texts": list(data.get("texts", []))}


async def _seal(key: bytes, participation: Participation, sealed: dict, connection=None) -> None:
    # Every submitted participation carries one, so having one tells nothing.
    participation.shared = vault.wrap(json.dumps(sealed, sort_keys=True).encode(), _sealing(key),
                                      f"shared:{participation.id}")
    await participation.save(using_db=connection, update_fields=["shared"])


async def _unshare(key: bytes, participation: Participation) -> dict:
    sealed = _opened(key, participation)
    if sealed["copies"]:
        await SharedAnswer.filter(id__in=sealed["copies"]).delete()
    return {**sealed, "copies": []}


async def _share(key: bytes, member: Member, participation: Participation) -> None:
    """The breakdown copies of a submitted participation, made anew: one per attribute shared, for the
    author and for each choice or scale answer; their ids sealed under the member's key."""
    sealed = await _unshare(key, participation)
    copies: list[SharedAnswer] = []
    if participation.share_profile:
        answers = await Answer.filter(participation=participation, text__isnull=True, rank__isnull=True)
        for attribute, value in _attributes(member, participation.share_scope).items():
            copies.append(SharedAnswer(id=random_id(), consultation_id=participation.consultation_id,
                                       attribute=attribute, value=value))
            copies += [SharedAnswer(id=random_id(), consultation_id=participation.consultation_id,
                                    attribute=attribute, value=value, question_id=a.question_id, option=a.option,
                                    scale=a.value) for a in answers]
    async def store():
        for copy in copies:
            copy.id = random_id()
        await SharedAnswer.bulk_create(copies)

    await with_fresh_ids(store)
    await _seal(key, participation, {**sealed, "copies": [c.id for c in copies]})


async def my_answers(key: bytes | None, participation: Participation | None) -> dict[int, list[Answer]]:
    if participation is None:
        return {}
    result: dict[int, list[Answer]] = {}
    kept_apart = _opened(key, participation)["texts"]
    for answer in await Answer.filter(Q(participation=participation) | Q(id__in=kept_apart)) \
            .order_by("rank", "question_id", "option"):
        result.setdefault(answer.question_id, []).append(answer)
    return result


async def withdraw(key: bytes | None, member: Member, consultation_id: int) -> None:
    """Deletes the member's answers, their breakdown copies and consent; only while it is open."""
    consultation = await get(consultation_id)
    if consultation.status != "open":
        raise Refused("closed", _l("This consultation is closed."), kind="conflict")
    participation = await find(key, consultation)
    if participation is not None:
        sealed = await _unshare(key, participation)
        await Answer.filter(id__in=sealed["texts"]).delete()
        await participation.delete()


async def mark_read(participation: Participation | None, version: int) -> None:
    if participation is not None and participation.read_version < version:
        await Participation.filter(id=participation.id).update(read_version=version)


async def _mine(key: bytes | None, consultations: list[Consultation]) -> dict[str, Consultation]:
    return {token_for(key, c.id): c for c in consultations} if key else {}


async def unseen_outcomes(key: bytes | None, member: Member) -> list[Consultation]:
    """Published outcomes of consultations this member took part in and has not opened yet."""
    tokens = await _mine(key, await Consultation.filter(status="published").order_by("-id").limit(100))
    unseen = await Participation.filter(token__in=list(tokens), outcome_seen=False, submitted=True) \
        .values_list("token", flat=True)
    return [tokens[t] for t in unseen]


OUTCOME_PUBLISHED = _l("Outcome published")


async def outcome_notices(rt, member: Member, key: bytes | None, locale: str) -> list[dict]:
    """A notice for each outcome of a consultation the member took part in, until they have opened it
    (outcome_seen): being listed on the notices page does not count as read."""
    items = []
    for consultation in await unseen_outcomes(key, member):
        original = consultation.original_locale
        items.append({"day": (consultation.closes_at or datetime.now(timezone.utc)).date(),
                      "heading": localized(consultation.title, locale, original),
                      "status": gettext(locale, OUTCOME_PUBLISHED), "text": "", "note": "",
                      "href": f"/consultations/{consultation.id}/outcome"})
    return items


async def taken_part(key: bytes | None, member: Member) -> list[Consultation]:
    recent = await Consultation.filter(status__in=["open", "closed", "published"]).order_by("-id").limit(200)
    tokens = await _mine(key, recent)
    found = await Participation.filter(token__in=list(tokens)).values_list("token", flat=True)
    return [tokens[t] for t in found]


async def outcome_seen(key: bytes | None, member: Member, consultation: Consultation) -> None:
    if key is not None:
        await Participation.filter(consultation=consultation, token=token_for(key, consultation.id)) \
            .update(outcome_seen=True)


async def participations_of(member_id: int, key: bytes | None, connection) -> list[int]:
    """The registry's way to the member's participations: only their key finds them."""
    if key is None:
        return []
    consultations = await Consultation.all().using_db(connection).values_list("id", flat=True)
    return await keyed.found((token_for(key, cid) for cid in consultations), lambda chunk: Participation.filter(
        token__in=chunk).using_db(connection).values_list("id", flat=True))


async def answers_of(member_id: int, key: bytes | None, connection) -> list[int]:
    mine = await participations_of(member_id, key, connection)
    if not mine:
        return []
    kept_apart = [text for p in await Participation.filter(id__in=mine).using_db(connection)
                  for text in _opened(key, p)["texts"]]
    return list(await Answer.filter(Q(participation_id__in=mine) | Q(id__in=kept_apart)).using_db(connection)
                .values_list("id", flat=True))


async def shared_of(member_id: int, key: bytes | None, connection) -> list[int]:
    """The breakdown copies, whose ids only the member's key unseals."""
    mine = await participations_of(member_id, key, connection)
    return [copy for p in (await Participation.filter(id__in=mine).using_db(connection) if mine else [])
            for copy in _opened(key, p)["copies"]]


RETIRED_PREFIX = "r1:"  # a token nobody can compute (retire_server_tokens)


async def move_older_tokens(rt, member: Member, key: bytes | None) -> None:
    """Answers given before participation keys were under a token the server could compute: at the
    member's sign-in they move to the token of their key (`survnet retire-server-tokens` ends this)."""
    if key is None or member.role == "decoy" or "older tokens" in rt.settled:
        return
    # No token of the server's kind is made any more: once none is left, none ever will be, and
    # sign-ins stop looking (every sign-in then runs the same queries, a duress one included). A
    # backup from before keys restored under a running server is looked at after its restart.
    if not await Participation.exclude(token__startswith=vault.TOKEN_PREFIX).exclude(
            token__startswith=RETIRED_PREFIX).exists():
        rt.settled.add("older tokens")
        return
    ids = await Consultation.all().values_list("id", flat=True)
    older = {digest(rt.settings.secret_key, "participation", f"{member.id}:{cid}"): cid for cid in ids}
    for participation in await Participation.filter(token__in=list(older)):
        await Participation.filter(id=participation.id).update(token=token_for(key, participation.consultation_id))


async def retire_server_tokens(rt) -> int:
    """Every token still of the server's own kind becomes one nobody can compute: those answers
    stay counted, and can no longer be reached by anyone, their authors included."""
    retired = 0
    for participation in await Participation.exclude(token__startswith=vault.TOKEN_PREFIX):
        await Participation.filter(id=participation.id).update(token=RETIRED_PREFIX + secrets.token_urlsafe(32))
        retired += 1
    return retired
