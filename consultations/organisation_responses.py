"""Partner organisations' responses to consultations, in their own name. No HTTP.

A representative (network.organisations; the routes are declared `acts_for`, so who may act is
checked before anything here runs) writes one response per organisation and consultation: a text per
question, whatever the question's kind, kept as a draft or sent, and changed until the consultation
closes. The policymaker who owns the consultation reads the sent ones, attributed to the
organisation, never to the representative.

Responses are kept in their own table and nothing that makes figures reads it: releases, results, the
"who we heard from" dashboard and the moderators' review count members' answers only.
"""

from __future__ import annotations

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from consultations import service
from consultations.models import Consultation, OrganisationResponse, Question
from consultations.schemas import ORGANISATION_TEXT_MAX
from network.core.i18n import lazy as _l
from network.core.refusal import Refused, within
from network.members.models import Member
from network.organisations import service as organisations
from network.organisations.models import Organisation

CLOSED = _l("This consultation is closed: the organisation's response can no longer change.")
UNKNOWN_QUESTION = _l("That question is not part of this consultation.")
NOTHING_TO_SEND = _l("Answer at least one question before sending the response.")


def accepting(consultation: Consultation) -> bool:
    return service.is_accepting(consultation)


async def answerable(organisation_id: int) -> list[tuple[Consultation, OrganisationResponse | None]]:
    """What the organisation can answer now (open consultations, newest first), each with its
    response so far; then those it answered that have since closed, to read back."""
    await organisations.get(organisation_id)
    responses = await OrganisationResponse.filter(organisation_id=organisation_id) \
        .select_related("consultation").order_by("-consultation_id").limit(200)
    by_consultation = {r.consultation_id: r for r in responses}
    open_now = [c for c in await Consultation.filter(status="open").order_by("-id").limit(200) if accepting(c)]
    shown = [(c, by_consultation.get(c.id)) for c in open_now]
    listed = {c.id for c in open_now}
    shown += [(r.consultation, r) for r in responses if r.consultation_id not in listed]
    return shown


async def readable(organisation_id: int, consultation_id: int) -> tuple[Organisation, Consultation,
                                                                        OrganisationResponse | None]:
    """A consultation the organisation may answer (it is open) or has answered (to read back)."""
    organisation = await organisations.get(organisation_id)
    consultation = await Consultation.get_or_none(id=consultation_id)
    response = await OrganisationResponse.get_or_none(consultation_id=consultation_id,
                                                      organisation_id=organisation_id) \
        if consultation is not None else None
    if consultation is None or consultation.status == "draft" or (response is None and not accepting(consultation)):
        raise Refused("not_found", service.NOT_FOUND, kind="not_found")
    return organisation, consultation, response


def answers_of(response: OrganisationResponse | None, questions: list[Question]) -> dict[int, str]:
    """The response's texts by question id, for the questions the consultation still has."""
    if response is None:
        return {}
    stored = response.answers or {}
    return {q.id: stored[str(q.id)] for q in questions if stored.get(str(q.id))}


def _clean(answers: dict[int, str], questions: list[Question]) -> dict[str, str]:
    known = {q.id for q in questions}
    clean = {}
    for question_id, text in answers.items():
        field = f"answers.{question_id}"
        if question_id not in known:
            raise Refused("unknown_question", UNKNOWN_QUESTION, field=field)
        text = within(text, ORGANISATION_TEXT_MAX, field)
        if text:
            clean[str(question_id)] = text
    return clean


async def save(member: Member, organisation_id: int, consultation_id: int, answers: dict[int, str],
               submit: bool) -> OrganisationResponse:
    """Replaces the organisation's response with these texts (question id -> text), as a draft or sent.
    Saved as a draft, a response already sent goes back to being one: the policymaker reads sent ones only.
    Refused as a whole (nothing changes) when any text is too long or names a question not asked."""
    _, consultation, _ = await readable(organisation_id, consultation_id)
    if not accepting(consultation):
        raise Refused("closed", CLOSED, kind="conflict")
    clean = _clean(answers, await service.questions_of(consultation))
    if submit and not clean:
        raise Refused("nothing_to_send", NOTHING_TO_SEND, field="answers")
    values = {"answers": clean, "representative_id": member.id, "status": "submitted" if submit else "draft",
              "submitted_at": service.now() if submit else None}
    for _attempt in range(2):  # two representatives saving the first draft at once: the second updates it
        try:
            async with in_transaction() as connection:
                response = await OrganisationResponse.filter(
                    consultation_id=consultation.id, organisation_id=organisation_id,
                ).using_db(connection).select_for_update().first()
                if response is None:
                    return await OrganisationResponse.create(consultation_id=consultation.id,
                                                             organisation_id=organisation_id, using_db=connection,
                                                             **values)
                response.update_from_dict(values)
                await response.save(using_db=connection)
                return response
        except IntegrityError:
            continue
    raise Refused("conflict", _l("Someone else saved this response at the same moment. Please try again."),
                  kind="conflict")


async def submitted_to(actor: Member, consultation_id: int) -> tuple[Consultation, list[OrganisationResponse]]:
    """The sent responses, by organisation name, for the consultation's owner (or an administrator)."""
    consultation = await service.editable(actor, consultation_id)
    responses = await OrganisationResponse.filter(consultation=consultation, status="submitted") \
        .select_related("organisation").order_by("organisation__name").limit(500)
    return consultation, responses
