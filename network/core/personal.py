"""The registry of personal data: what every field of every model is, who it belongs to, and how
long it is kept. Erasure, export and retention read this and nothing else.

Each model declares `privacy = Privacy(...)` where it is defined: every stored field in one class,
the ways its rows reach a member (`Link`s, each saying what erasing that member does to them and
where the rows appear in the member's export), and how long rows or fields are kept (`Keep`s).
A test walks every model and fails when a field or a reference to a member is not declared, so a
new table cannot hold someone's data that erasure, export and retention do not know about.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from importlib import import_module
from typing import Any

from tortoise import Tortoise
from tortoise.expressions import Q
from tortoise.fields.relational import ForeignKeyFieldInstance, OneToOneFieldInstance

# What a field holds.
IDENTIFYING = "identifying"  # names or reaches a person: a pseudonym, payout details, a payment reference
PERSONAL = "personal"        # what a person wrote, or told about themselves
OPERATIONAL = "operational"  # ids, states and times the service runs on
AGGREGATE = "aggregate"      # what accounting and published figures need: amounts, kinds, periods
SECRET = "secret"            # hashes and sealed keys: never exported
REFERENCE = "reference"      # a reference to another person or row: never exported to the member
CLASSES = (IDENTIFYING, PERSONAL, OPERATIONAL, AGGREGATE, SECRET, REFERENCE)
WORDS = (IDENTIFYING, PERSONAL)  # what scrubbing a row clears

# What erasing the member a row reaches does to it.
DELETE = "delete"  # the row goes
SCRUB = "scrub"    # the row stays without the member's words and identity: its IDENTIFYING and PERSONAL fields are cleared
UNLINK = "unlink"  # the row stays (it is someone else's) with the reference to the member cleared


@dataclass(frozen=True)
class Link:
    """One way rows reach a member. `path` filters rows to a member id ("member_id",
    "stipend__member_id"); `find` names an async function (member, key) -> row ids for rows that
    reach the member only through their participation key. `keep` are rows a DELETE scrubs instead
    (a filter, e.g. decided stipends stay in the fund's books). `kept` is what happens instead when
    the member chose to leave their words behind. `export` is the section of the member's export
    the rows appear in (None: not exported through this link); `shows` adds what makes an exported
    row readable (name -> a path through its references, e.g. {"room_name": "room__name"})."""

    path: str | None = None
    erase: str = DELETE
    find: str | None = None
    keep: dict | Q | None = None
    kept: str | None = None
    export: str | None = None
    shows: tuple[tuple[str, str], ...] = ()

    def column(self) -> str | None:
        """The reference column cleared by UNLINK and SCRUB: only a direct reference."""
        return self.path if self.path and "__" not in self.path else None


@dataclass(frozen=True)
class Keep:
    """Rows kept only so long: `where(settings, now)` are the rows past their time; their `clear`
    fields are emptied, or the rows deleted when `clear` is empty. `label` names it in `survnet purge`."""

    label: str
    where: Callable[[Any, datetime], Q]
    clear: tuple[str, ...] = ()
    after: bool = False  # runs once every other rule has: e.g. decoys, once their sessions are purged


@dataclass(frozen=True)
class Privacy:
    identifying: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()
    operational: tuple[str, ...] = ()
    aggregate: tuple[str, ...] = ()
    secret: tuple[str, ...] = ()
    reference: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    keep: tuple[Keep, ...] = ()
    classes: dict[str, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for name in CLASSES:
            for field_name in getattr(self, name):
                self.classes[field_name] = name

    def of(self, field_name: str) -> str | None:
        return self.classes.get(field_name) or self.classes.get(field_name.removesuffix("_id"))


def models() -> list[type]:
    return [model for app in Tortoise.apps.values() for model in app.values()]


def privacy(model: type) -> Privacy:
    declared = getattr(model, "privacy", None)
    if not isinstance(declared, Privacy):
        raise LookupError(f"{model.__name__} declares no privacy: classify its fields in network.core.personal terms")
    return declared


def stored_fields(model: type) -> list[str]:
    """Every field with a column: references by their field name ("member"), the rest as they are."""
    meta = model._meta
    references = {f"{name}_id": name for name in (*meta.fk_fields, *meta.o2o_fields)}
    return sorted({references.get(name, name) for name in meta.db_fields})


def references_to(model: type, target: type) -> list[str]:
    meta = model._meta
    return [name for name in (*meta.fk_fields, *meta.o2o_fields)
            if isinstance(meta.fields_map[name], (ForeignKeyFieldInstance, OneToOneFieldInstance))
            and meta.fields_map[name].related_model is target]


def blank(model: type, field_name: str) -> Any:
    """What a cleared field holds: its default when plain, else nothing (or empty text)."""
    meta = model._meta
    name = f"{field_name}_id" if field_name in (*meta.fk_fields, *meta.o2o_fields) else field_name
    field_object = meta.fields_map[name]
    default = field_object.default
    if default is not None and not callable(default):
        return default
    if field_object.null:
        return None
    if callable(default):
        return default()
    return ""


def cleared(model: type, link: Link | None = None) -> dict[str, Any]:
    """The values a scrub writes: the member's words and identity gone, the reference too."""
    declared = privacy(model)
    values = {}
    for name in stored_fields(model):
        if declared.of(name) in WORDS:
            values[name if name in model._meta.db_fields else f"{name}_id"] = blank(model, name)
    column = link.column() if link else None
    if column:
        values[column] = None
    return values


def resolve(dotted: str) -> Callable:
    module, _, name = dotted.partition(":")
    return getattr(import_module(module), name)


def exported(model: type, row: Any) -> dict:
    """A row as the member's export shows it: every field but secrets and references to others."""
    declared = privacy(model)
    out = {}
    for name in stored_fields(model):
        kind = declared.of(name)
        if kind in (SECRET, REFERENCE):
            continue
        attribute = name if name in model._meta.db_fields else f"{name}_id"
        out[name] = plain(getattr(row, attribute))
    return out


def plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


# Erasure and retention ------------------------------------------------------------------------

BATCH = 500
ORDER = {UNLINK: 0, SCRUB: 1, DELETE: 2}  # deletes last: they may cascade to rows changed before


def _query(model: type, connection):
    return model.all().using_db(connection)


async def apply(rt, connection, model: type, ids: list, how: str, link: Link | None = None) -> list:
    """Changes these rows of the model as `how` says, in the caller's transaction; returns what to
    run once it commits (the package's eraser, when it has one, does the change itself)."""
    after = []
    eraser = rt.registry.row_erasers.get(model)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        if eraser is not None:
            done = await eraser(rt, connection, chunk, how)
            if done is not None:
                after.append(done)
        elif how == DELETE:
            await _query(model, connection).filter(id__in=chunk).delete()
        elif how == SCRUB:
            await _query(model, connection).filter(id__in=chunk).update(**cleared(model, link))
        elif how == UNLINK and link is not None and link.column():
            await _query(model, connection).filter(id__in=chunk).update(**{link.column(): None})
    return after


async def rows_of(model: type, link: Link, member_id: int, key: bytes | None, connection) -> list:
    """The ids of this model's rows that reach the member through this link."""
    if link.find is not None:
        return list(await resolve(link.find)(member_id, key, connection))
    return list(await _query(model, connection).filter(**{link.path: member_id}).values_list("id", flat=True))


async def purge(rt) -> dict[str, int]:
    """Retention: every model's `Keep` rules, each in its own transaction. How many rows each changed."""
    from datetime import timezone

    from tortoise.transactions import in_transaction

    rules = [(model, rule) for model in models() for rule in privacy(model).keep]
    done: dict[str, int] = {}
    for model, rule in sorted(rules, key=lambda pair: pair[1].after):
        moment = datetime.now(timezone.utc)
        ids = list(await model.filter(rule.where(rt.settings, moment)).values_list("id", flat=True))
        after = []
        if ids:
            async with in_transaction() as connection:
                if rule.clear:
                    for start in range(0, len(ids), BATCH):
                        await _query(model, connection).filter(id__in=ids[start:start + BATCH]) \
                            .update(**{name: blank(model, name) for name in rule.clear})
                else:
                    after = await apply(rt, connection, model, ids, DELETE)
            for job in after:
                await job()
        done[rule.label] = len(ids)
    return done


# The registry's own audit (tests/test_personal_registry.py) ---------------------------------

def audit(member_model: type) -> list[str]:
    """What the registry does not know: unclassified or doubly classified fields, names that are no
    field, references to a member that no link follows, sealed fields not marked as someone's words."""
    from network.core.crypto import sealed_fields

    problems = []
    for model in models():
        name = model.__name__
        try:
            declared = privacy(model)
        except LookupError as exc:
            problems.append(str(exc))
            continue
        stored = set(stored_fields(model))
        listed = [f for kind in CLASSES for f in getattr(declared, kind)]
        problems += [f"{name}.{f} is not classified" for f in sorted(stored - set(listed))]
        problems += [f"{name}.{f} is no stored field" for f in sorted(set(listed) - stored)]
        problems += [f"{name}.{f} is classified twice" for f in sorted({f for f in listed if listed.count(f) > 1})]
        followed = {link.path for link in declared.links if link.path}
        for reference in references_to(model, member_model):
            if f"{reference}_id" not in followed:
                problems.append(f"{name}.{reference} refers to a member and no Link follows it")
        if model is member_model and "id" not in followed:
            problems.append(f"{name} has no Link for its own rows")
        for sealed in sealed_fields(model):
            if declared.of(sealed.model_field_name) not in WORDS:
                problems.append(f"{name}.{sealed.model_field_name} is sealed but not identifying or personal")
        for link in declared.links:
            if link.erase not in ORDER or (link.kept and link.kept not in ORDER):
                problems.append(f"{name}: a Link says {link.erase!r}")
            if (link.path is None) == (link.find is None):
                problems.append(f"{name}: a Link needs a path or a find, not both")
            if link.erase != DELETE and link.path and "__" not in link.path and declared.of(link.path) != REFERENCE \
                    and link.path != "id":
                problems.append(f"{name}.{link.path} is cleared by {link.erase} but not classified a reference")
    return problems
