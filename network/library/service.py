"""The library's entries: who may propose, edit, review and publish, and what readers see.

Publication needs a second reader: the curator who publishes waiting changes is neither the one
who sent them for review nor one who wrote a text or changed the details among them. Every change is written to the
append-only log in the same transaction as the change.
"""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from network.core.bounds import read_id
from network.core.i18n import lazy as _l
from network.core.personal import plain
from network.core.refusal import Refused, within
from network.core.settings import LOCALES
from network.core.text import one_line
from network.library import search
from network.library.models import (
    AUDIENCES,
    ENTRY_KINDS,
    READING_LEVELS,
    TOPICS,
    VISIBILITIES,
    Entry,
    EntryText,
    LibraryEvent,
)
from network.library.rules import (
    LIMITS,
    NOT_FOUND,
    TOO_MANY,
    choice,
    choices,
    countries,
    day,
    is_curator,
    listed,
    now,
    on,
    reads_members_only,
    record,
    require_curator,
    typed,
)
from network.organisations import service as organisations
from network.organisations.models import Organisation

SECOND_READER = _l("Another curator must read this before it is published: you sent it for review or wrote part of it.")
NOTHING_WAITING = _l("There is nothing waiting to be published.")
NOT_NOW = _l("This cannot be done to the entry as it is now.")
CHANGED_SINCE = _l("This entry has changed since you read it. Read it again before you publish it.")
NO_TEXT = _l("This entry has no text to publish.")
SAY_WHAT_CHANGED = _l("Say in a few words what changed.")
MOST_REGIONS = 10


def entry_details(data: dict) -> dict:
    regions = listed(data.get("regions"), "regions")
    regions = [within(one_line(str(r)), LIMITS["region"], "regions") for r in regions if str(r).strip()]
    if len(regions) > MOST_REGIONS:
        raise Refused("too_many", TOO_MANY, field="regions")
    return {"kind": choice(data.get("kind"), ENTRY_KINDS, "kind"),
            "audiences": choices(data.get("audiences"), AUDIENCES, "audiences", required=True),
            "countries": countries(data.get("countries")), "regions": regions,
            "topics": choices(data.get("topics"), TOPICS, "topics", required=True),
            "source": typed(data, "source", line=True), "licence": typed(data, "licence", line=True),
            "published_on": day(data.get("published_on"), "published_on"),
            "visibility": choice(data.get("visibility"), VISIBILITIES, "visibility", default="public")}


def text_details(data: dict) -> dict:
    return {"locale": choice(data.get("locale"), LOCALES, "locale"),
            "level": choice(data.get("level"), READING_LEVELS, "level", default="full"),
            "title": typed(data, "title", required=True, line=True), "summary": typed(data, "summary"),
            "body": typed(data, "body", required=True), "what_changed": typed(data, "what_changed", line=True)}


async def write_revision(connection, entry, details: dict, author, say_what_changed: bool = True) -> EntryText:
    newest = await EntryText.filter(entry_id=entry.id, locale=details["locale"], level=details["level"]) \
        .using_db(connection).order_by("-revision").first()
    if newest is not None and not details["what_changed"] and say_what_changed:
        raise Refused("what_changed", SAY_WHAT_CHANGED, kind="conflict", field="what_changed")
    return await EntryText.create(entry=entry, revision=(newest.revision + 1) if newest else 1, author=author,
                                  using_db=connection, **details)


NOT_REPRESENTATIVE = _l("You can propose in the name of an organisation only if you represent it.")


async def _proposed_for(member, organisation_id) -> int | None:
    """The organisation an entry is proposed in the name of: none, or one the member represents (a
    field's value, not a path, so it is checked here rather than by the route)."""
    if organisation_id in (None, ""):
        return None
    number = read_id(organisation_id)
    if number is None or not await organisations.represents(member, number):
        raise Refused("not_representative", NOT_REPRESENTATIVE, field="organisation_id", kind="forbidden")
    return number


async def create_entry(member, data: dict, text: dict, organisation_id=None) -> Entry:
    """A curator's new entry starts as a draft; a member's proposal waits for a curator's reading.
    With `organisation_id`, it is proposed in the name of an organisation the member represents."""
    details, first = entry_details(data), text_details(text)
    proposed_for = await _proposed_for(member, organisation_id)
    curator = is_curator(member)
    async with in_transaction() as connection:
        entry = await Entry.create(**details, status="draft" if curator else "review",
                                   proposed_by=None if curator else member, submitted_by=None if curator else member,
                                   proposed_for_id=proposed_for, using_db=connection)
        await write_revision(connection, entry, first, member)
        await record(connection, member, "entry", entry.id, "created" if curator else "proposed")
    return entry


async def proposed_for(entries) -> dict:
    """The organisations these entries were proposed in the name of, by id (one query, none if none was)."""
    ids = {e.proposed_for_id for e in entries if e.proposed_for_id is not None}
    return {o.id: o for o in await Organisation.filter(id__in=ids)} if ids else {}


async def _entry(entry_id: int, connection=None, lock: bool = False) -> Entry:
    query = on(Entry.filter(id=entry_id), connection)
    entry = await (query.select_for_update() if lock and connection is not None else query).first()
    if entry is None:
        raise NOT_FOUND
    return entry


async def add_text(curator, entry_id: int, data: dict) -> EntryText:
    """A new version of one language and level; it waits, as every change, for a second reader."""
    require_curator(curator)
    details = text_details(data)
    async with in_transaction() as connection:
        entry = await _entry(entry_id, connection, lock=True)
        if entry.status == "archived":
            raise Refused("not_now", NOT_NOW, kind="conflict")
        text = await write_revision(connection, entry, details, curator)
        await _to_draft(connection, entry)
        await record(connection, curator, "entry", entry.id, "text_added",
                     f"{details['locale']} {details['level']} {text.revision}")
    return text


async def change_details(curator, entry_id: int, data: dict) -> Entry:
    """New details wait for a second reader as texts do (making a members-only entry public is such a
    change); an entry never published has no readers yet and takes them at once."""
    require_curator(curator)
    details = entry_details(data)
    async with in_transaction() as connection:
        entry = await _entry(entry_id, connection, lock=True)
        if entry.status == "archived":
            raise Refused("not_now", NOT_NOW, kind="conflict")
        if entry.published_at is None:
            for name, value in details.items():
                setattr(entry, name, value)
        else:
            entry.pending = {name: plain(value) for name, value in details.items()}
        await _to_draft(connection, entry)
        await record(connection, curator, "entry", entry.id, "details_changed")
    return entry


async def _to_draft(connection, entry) -> None:
    entry.status, entry.submitted_by = "draft", None
    await entry.save(using_db=connection)


async def _move(curator, entry_id: int, states: tuple[str, ...], to: str, action: str, detail: str = "",
                message: str = NOT_NOW) -> Entry:
    """An entry from one of `states` to `to`, logged: sent for review, sent back, archived."""
    require_curator(curator)
    detail = within(detail, LIMITS["reason"], "reason")
    async with in_transaction() as connection:
        entry = await _entry(entry_id, connection, lock=True)
        if entry.status not in states:
            raise Refused("not_now", message, kind="conflict")
        entry.status, entry.submitted_by = to, curator if to == "review" else None
        await entry.save(using_db=connection, update_fields=["status", "submitted_by_id", "updated_at"])
        await record(connection, curator, "entry", entry.id, action, detail)
        if to == "archived":
            await _reindex(connection, entry)
            await search.forget_removed(connection)
    return entry


async def submit(curator, entry_id: int) -> Entry:
    return await _move(curator, entry_id, ("draft",), "review", "submitted")


async def send_back(curator, entry_id: int, reason: str) -> Entry:
    return await _move(curator, entry_id, ("review",), "draft", "returned", reason)


async def archive(curator, entry_id: int, reason: str = "") -> Entry:
    return await _move(curator, entry_id, ("draft", "review", "published"), "archived", "archived", reason)


async def changed_by(entry_id: int, connection=None) -> set[int]:
    """Who wrote what waits: the authors of unpublished texts and whoever changed the details since
    the entry was last published. None of them may be its second reader."""
    texts = on(EntryText.filter(entry_id=entry_id, published=False), connection)
    writers = set(await texts.values_list("author_id", flat=True))
    events = on(LibraryEvent.filter(subject="entry", subject_id=entry_id).order_by("-id"), connection)
    for action, actor in await events.values_list("action", "actor_id"):
        if action == "published":
            break
        if action == "details_changed":
            writers.add(actor)
    return writers - {None}


async def last_changes(entry_ids: list[int], connection=None) -> dict[int, int]:
    """The id of each entry's newest line in the log: what a second reader read it as."""
    query = on(LibraryEvent.filter(subject="entry", subject_id__in=entry_ids), connection)
    newest: dict[int, int] = {}
    for subject_id, event_id in await query.values_list("subject_id", "id"):
        newest[subject_id] = max(event_id, newest.get(subject_id, 0))
    return newest


async def publish(curator, entry_id: int, note: str = "", seen: int | None = None) -> Entry:
    """What waits, published by a second reader who read it as it is now: `seen` is the newest log
    line of the entry when they read it, and a change since then is refused, to be read first."""
    require_curator(curator)
    note = within(note, LIMITS["reason"], "reason")
    async with in_transaction() as connection:
        entry = await _entry(entry_id, connection, lock=True)
        if entry.status != "review":
            raise Refused("not_now", NOTHING_WAITING, kind="conflict")
        if seen != (await last_changes([entry.id], connection)).get(entry.id):
            raise Refused("changed", CHANGED_SINCE, kind="conflict")
        if not await EntryText.filter(entry_id=entry.id).using_db(connection).exists():
            raise Refused("no_text", NO_TEXT, kind="conflict")
        if entry.submitted_by_id == curator.id or curator.id in await changed_by(entry.id, connection):
            raise Refused("second_reader", SECOND_READER, kind="forbidden")
        await publish_now(connection, entry, curator, note)
    return entry


async def publish_now(connection, entry, actor, note: str = "") -> None:
    """Every waiting change shown, in the caller's transaction: the second reader was checked before,
    or a command (the demo, a trusted bulk import) publishes what it loads."""
    await EntryText.filter(entry_id=entry.id, published=False).using_db(connection).update(published=True)
    for name, value in (entry.pending or {}).items():
        setattr(entry, name, day(value, name) if name == "published_on" else value)
    entry.pending, entry.status, entry.submitted_by = None, "published", None
    entry.published_at = entry.published_at or now()
    await entry.save(using_db=connection)
    await record(connection, actor, "entry", entry.id, "published", note)
    await _reindex(connection, entry)


def in_library(entry) -> bool:
    return entry.published_at is not None and entry.status != "archived"


def readable_by(member) -> Q:
    """The entries this reader may open: in the library, members-only ones to members (in_library's query)."""
    where = Q(published_at__not_isnull=True) & ~Q(status="archived")
    return where if reads_members_only(member) else where & Q(visibility="public")


async def shown_texts(entry_ids: list[int], connection=None) -> dict[int, list[EntryText]]:
    """What readers see of each entry: the newest published revision of each language and level."""
    query = EntryText.filter(entry_id__in=entry_ids, published=True).order_by("entry_id", "locale", "level",
                                                                              "-revision")
    seen, shown = set(), {entry_id: [] for entry_id in entry_ids}
    for text in await on(query, connection):
        if (text.entry_id, text.locale, text.level) not in seen:
            seen.add((text.entry_id, text.locale, text.level))
            shown[text.entry_id].append(text)
    return shown


async def _reindex(connection, entry) -> None:
    texts = (await shown_texts([entry.id], connection))[entry.id] if in_library(entry) else []
    await search.reindex(entry, texts, connection)


async def readable(entry_id: int, member) -> Entry:
    """An entry as its reader may see it: in the library, and members-only ones to members."""
    entry = await Entry.get_or_none(id=entry_id)
    if entry is None or not in_library(entry) or (entry.visibility != "public" and not reads_members_only(member)):
        raise NOT_FOUND
    return entry


async def history(entry) -> list[EntryText]:
    return await EntryText.filter(entry_id=entry.id, published=True).order_by("locale", "level", "-revision")


async def for_curators(entry_id: int) -> tuple[Entry, list[EntryText]]:
    entry = await _entry(entry_id)
    return entry, await EntryText.filter(entry_id=entry.id).order_by("locale", "level", "-revision")


async def waiting_entries(limit: int = 100) -> list[Entry]:
    return await Entry.filter(status__in=("draft", "review")).order_by("-updated_at").limit(limit)


PER_PAGE = 20


async def find(query: str, filters: search.Filters, locale: str, member, page: int = 1):
    """One page of search results: [(text, entry)], how many in all, and the words searched for."""
    found = await search.search(query, filters, locale, members=reads_members_only(member), limit=PER_PAGE,
                                offset=(page - 1) * PER_PAGE)
    texts = {t.id: t for t in await EntryText.filter(id__in=found.text_ids).select_related("entry")}
    return [(texts[i], texts[i].entry) for i in found.text_ids if i in texts], found.total, found.terms


async def latest_titles(entry_ids: list[int]) -> dict[int, str]:
    """Each entry's newest title, published or not: what curators call it."""
    titles = {}
    for entry_id, title in await EntryText.filter(entry_id__in=entry_ids).order_by("entry_id", "-id") \
            .values_list("entry_id", "title"):
        titles.setdefault(entry_id, title)
    return titles
