"""Small grants to partner organisations and mentoring. No HTTP.

The money goes through the stipends' machinery (network.stipends.service): the request is a stipend
made out to the organisation, decided by the same review (two administrators above the threshold),
reserved in the same budget by the same conditional update, paid and reported to donors the same way.
What this module adds is the paperwork, kept light below the fund's small-grant threshold: no budget
table, no receipts, a report of three questions. A cluster grant funds several small projects and
reports once; the database keeps every grant to one report.
"""

from __future__ import annotations

from datetime import datetime, timezone

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from network.core import dates
from network.core.bounds import read_id
from network.core.i18n import lazy as _l
from network.core.refusal import Refused, needed, within
from network.grants.models import (
    MENTORING_TOPICS,
    ClusterProject,
    Grant,
    GrantLine,
    GrantReport,
    Mentoring,
    MentoringSession,
)
from network.members import accounts
from network.members.models import Member
from network.organisations import service as organisations
from network.stipends import service as stipends
from network.stipends.models import Fund

NOT_FOUND = _l("That grant was not found.")
MENTORING_NOT_FOUND = _l("That mentoring was not found.")
MOST_LINES = 30
MOST_PROJECTS = 20
ANSWER_MAX = 2000


def now() -> datetime:
    return datetime.now(timezone.utc)




def _minor(raw, fund: Fund, field: str) -> int:
    return stipends.to_minor(stipends.money(raw, fund.currency, field), fund.currency)


def _lines(raw, fund: Fund) -> list[tuple[str, int]]:
    lines = [(within(line.get("item"), 200, "lines"), line.get("amount")) for line in raw or []
             if isinstance(line, dict) and (line.get("item") or line.get("amount"))]
    if not 1 <= len(lines) <= MOST_LINES:
        raise Refused("budget_needed", _l("Above %(threshold)s %(currency)s, list what the money is for, line by "
                                          "line (at most %(max)s lines)."), field="lines", max=MOST_LINES,
                      threshold=stipends.from_minor(fund.small_grant_minor, fund.currency), currency=fund.currency)
    for item, _ in lines:
        if not item:
            raise Refused("missing_text", _l("Say what each line of the budget is for."), field="lines")
    return [(item, _minor(amount, fund, "lines")) for item, amount in lines]


def _projects(raw, fund: Fund) -> list[tuple[str, str, int]]:
    projects = []
    for project in raw or []:
        if not isinstance(project, dict) or not any(project.get(k) for k in ("name", "what", "amount")):
            continue
        minor = _minor(project.get("amount"), fund, "projects")
        if minor > fund.small_grant_minor:
            raise Refused("project_too_large", _l("Each project of a cluster is a small one: at most %(threshold)s "
                                                  "%(currency)s. A larger project applies on its own."),
                          field="projects", threshold=stipends.from_minor(fund.small_grant_minor, fund.currency),
                          currency=fund.currency)
        projects.append((needed(project.get("name"), 120, "projects"), needed(project.get("what"), 1000, "projects"),
                         minor))
    if not 2 <= len(projects) <= MOST_PROJECTS:
        raise Refused("cluster_projects", _l("A cluster grant funds from 2 to %(max)s projects."), field="projects",
                      max=MOST_PROJECTS)
    return projects


async def apply(member: Member, organisation_id: int, data: dict) -> Grant:
    """The short form: what, for whom, how much, when, and how to pay the organisation."""
    organisation = await organisations.get(organisation_id)
    fund = await Fund.get_or_none(id=data.get("fund_id") or 0)
    if fund is None:
        raise Refused("not_found", _l("That fund was not found."), field="fund_id")
    title = needed(data.get("title"), 200, "title")
    for_whom = needed(data.get("for_whom"), 1000, "for_whom")
    starts, ends = dates.day(data.get("starts_on"), "starts_on"), dates.day(data.get("ends_on"), "ends_on")
    if ends < starts:
        raise Refused("dates", _l("The end must come after the start."), field="ends_on")
    cluster = bool(data.get("cluster"))
    lines, projects = [], []
    if cluster:
        projects = _projects(data.get("projects"), fund)
        minor = sum(amount for _, _, amount in projects)
        light = minor <= fund.small_grant_minor
        if not light:
            # One report still, but a cluster as large as a grant above the threshold accounts for each
            # project's spending and receipt, as that grant does for each line of its budget.
            lines = [(name, amount) for name, _, amount in projects]
    else:
        minor = _minor(data.get("amount"), fund, "amount")
        light = minor <= fund.small_grant_minor
        if not light:
            lines = _lines(data.get("lines"), fund)
            if sum(amount for _, amount in lines) != minor:
                raise Refused("budget_total", _l("The budget's lines add up to the amount asked for."), field="lines")
    async with in_transaction() as connection:
        stipend = await stipends.for_organisation(
            member, organisation, fund, minor, f"{organisation.name}: {title}", data.get("payout_method"),
            data.get("payout_details"), receipt_needed=not light, connection=connection)
        grant = await Grant.create(stipend=stipend, organisation=organisation, applied_by=member, title=title,
                                   for_whom=for_whom, starts_on=starts, ends_on=ends, light=light, cluster=cluster,
                                   using_db=connection)
        for item, amount in lines:
            await GrantLine.create(grant=grant, item=item, amount_minor=amount, using_db=connection)
        for name, what, amount in projects:
            await ClusterProject.create(grant=grant, name=name, what=what, amount_minor=amount, using_db=connection)
    return await get(organisation_id, grant.id)


async def get(organisation_id: int | None, grant_id: int) -> Grant:
    """A grant of this organisation (a grant's id under another organisation finds nothing); any
    organisation's for administrators (None)."""
    where = {"id": grant_id} if organisation_id is None else {"id": grant_id, "organisation_id": organisation_id}
    grant = await Grant.get_or_none(**where).prefetch_related("stipend__fund", "lines", "projects", "organisation")
    if grant is None:
        raise Refused("not_found", NOT_FOUND, kind="not_found")
    return grant


async def of_organisation(organisation_id: int) -> list[Grant]:
    return await Grant.filter(organisation_id=organisation_id).prefetch_related("stipend").order_by("-id").limit(100)


async def everyone() -> list[Grant]:
    return await Grant.all().prefetch_related("stipend", "organisation").order_by("-id").limit(200)


async def report_of(grant: Grant) -> GrantReport | None:
    return await GrantReport.get_or_none(grant=grant)


async def report(member: Member, organisation_id: int, grant_id: int, data: dict) -> GrantReport:
    """The one report at the end. Three questions; above the threshold also what each line of the budget
    cost and its receipt. A second report of the same grant (a cluster's too) is refused."""
    grant = await get(organisation_id, grant_id)
    if grant.stipend.status not in ("approved", "paid"):
        raise Refused("not_granted", _l("A report is written once the grant has been approved."), kind="conflict")
    answers = {name: needed(data.get(name), ANSWER_MAX, name) for name in ("did", "reached", "learned")}
    spent = {}
    if not grant.light:
        given = {int(line.get("id") or 0): line for line in data.get("lines") or [] if isinstance(line, dict)
                 and str(line.get("id") or "").isdigit()}
        for line in grant.lines:
            typed = given.get(line.id) or {}
            receipt = within(typed.get("receipt"), 200, "lines")
            if not receipt:
                raise Refused("receipt_needed", _l("Give each line's receipt: its number, or where it is kept."),
                              field="lines")
            spent[line.id] = (stipends.to_minor(stipends.money(typed.get("spent") or 0, grant.stipend.currency,
                                                               "lines", allow_zero=True), grant.stipend.currency),
                              receipt)
    try:
        async with in_transaction() as connection:
            written = await GrantReport.create(grant=grant, written_by=member, using_db=connection, **answers)
            for line_id, (minor, receipt) in spent.items():
                await GrantLine.filter(id=line_id).using_db(connection).update(spent_minor=minor, receipt=receipt)
    except IntegrityError:
        raise Refused("already_reported", _l("This grant has already been reported on."), kind="conflict") from None
    return written


# Mentoring -----------------------------------------------------------------------------------------

async def ask_mentoring(member: Member, organisation_id: int, data: dict) -> Mentoring:
    organisation = await organisations.get(organisation_id)
    topic = data.get("topic")
    if topic not in MENTORING_TOPICS:
        raise Refused("invalid_topic", _l("Choose from the list offered."), field="topic")
    grant, raw = None, data.get("grant_id")
    if raw not in (None, ""):
        grant_id = read_id(raw)
        grant = await Grant.get_or_none(id=grant_id, organisation=organisation) if grant_id else None
        if grant is None:
            raise Refused("not_found", NOT_FOUND, field="grant_id")
    return await Mentoring.create(organisation=organisation, grant=grant, topic=topic, asked_by=member,
                                  note=within(data.get("note"), 1000, "note"))


async def mentoring_of(organisation_id: int, grant: Grant | None = None) -> list[Mentoring]:
    """The organisation's mentoring, or only what is kept with one of its grants."""
    query = Mentoring.filter(organisation_id=organisation_id)
    if grant is not None:
        query = query.filter(grant=grant)
    return await query.prefetch_related("sessions", "grant").order_by("-id").limit(100)


async def all_mentoring() -> list[Mentoring]:
    return await Mentoring.all().prefetch_related("organisation", "mentor", "sessions").order_by("-id").limit(200)


async def mentoring(viewer: Member, mentoring_id: int) -> Mentoring:
    """Readable by its mentor, administrators and the organisation's representatives."""
    found = await Mentoring.get_or_none(id=mentoring_id).prefetch_related("organisation", "mentor", "grant",
                                                                           "sessions")
    if found is None or not (viewer.role == "admin" or (found.mentor_id == viewer.id and viewer.role != "decoy")
                             or await organisations.represents(viewer, found.organisation_id)):
        raise Refused("not_found", MENTORING_NOT_FOUND, kind="not_found")
    return found


async def match(admin: Member, mentoring_id: int, pseudonym: str) -> Mentoring:
    found = await mentoring(admin, mentoring_id)
    mentor = await accounts.active_named(pseudonym)
    if await organisations.represents(mentor, found.organisation_id):
        raise Refused("own_mentor", _l("A mentor comes from outside the organisation."), field="pseudonym")
    await Mentoring.filter(id=found.id).update(mentor_id=mentor.id, status="matched", matched_at=now())
    return await mentoring(admin, mentoring_id)


async def add_session(member: Member, mentoring_id: int, data: dict) -> MentoringSession:
    """Its mentor (or an administrator) keeps each session and its notes, with the grant."""
    found = await mentoring(member, mentoring_id)
    if member.role != "admin" and found.mentor_id != member.id:
        raise Refused("not_mentor", _l("Only the mentor keeps the sessions' notes."), kind="forbidden")
    if found.status != "matched":
        raise Refused("not_matched", _l("A mentor is matched first."), kind="conflict")
    return await MentoringSession.create(mentoring=found, held_on=dates.day(data.get("held_on"), "held_on"),
                                         notes=needed(data.get("notes"), 5000, "notes"), written_by=member)
