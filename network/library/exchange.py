"""Import and export of the library, in JSON or CSV (the format is documented in the README).

An import is read whole and checked whole before anything is written, in one transaction: a file
with one bad record changes nothing and says which record. Imported entries wait for a second
reader, like any change (a command may publish them at once: the demo, a trusted bulk load).
An export holds what its reader may see and never how to reach a service: a shelter's address
leaves the service only on its page, for the community (rules.reach).
"""

from __future__ import annotations

import csv
import io
import json

from tortoise.transactions import in_transaction

from network.core.i18n import lazy as _l
from network.core.personal import plain
from network.core.refusal import Refused
from network.core.spreadsheets import cell, uncell
from network.library import commitments as commitment_rules
from network.library import directory, service
from network.library.models import Commitment, Entry, Service
from network.library.rules import record

FORMAT = "survnet-library/1"
ENTRY_FIELDS = ("kind", "audiences", "countries", "regions", "topics", "source", "published_on", "licence",
                "visibility")
TEXT_FIELDS = ("locale", "level", "title", "summary", "body")
PUBLIC_SERVICE_FIELDS = tuple(f for f in directory.SERVICE_FIELDS if f not in directory.SENSITIVE)
COMMITMENT_FIELDS = ("country", "instrument", "made_on", "promise", "carried_by", "status")
LISTS = ("audiences", "countries", "regions", "topics", "languages", "entries")
CSV_COLUMNS = ("record", "ref", *ENTRY_FIELDS, *TEXT_FIELDS,
               *(f for f in directory.SERVICE_FIELDS if f not in ENTRY_FIELDS + TEXT_FIELDS),
               *(f for f in COMMITMENT_FIELDS if f not in directory.SERVICE_FIELDS), "entries")
MOST_RECORDS = 20000
BAD_FILE = _l("This is not a library file in JSON or CSV.")
BAD_RECORD = _l("Record %(number)s is not valid (%(part)s): nothing was imported.")
TOO_MANY = _l("A file may hold at most %(max)s records.")


# Export -----------------------------------------------------------------------------------------

async def export(member) -> dict:
    """Everything in the library this reader may see, each text as readers see it now."""
    entries = await Entry.filter(service.readable_by(member)).order_by("id")
    texts = await service.shown_texts([e.id for e in entries])
    services, _ = await directory.services(member, limit=MOST_RECORDS)
    shown = {e.id for e in entries}
    return {
        "format": FORMAT,
        "entries": [{"ref": f"e{e.id}", **{f: plain(getattr(e, f)) for f in ENTRY_FIELDS},
                     "texts": [{f: getattr(t, f) for f in TEXT_FIELDS} for t in texts[e.id]]} for e in entries],
        "services": [{"ref": f"s{s.id}", **{f: plain(getattr(s, f)) for f in PUBLIC_SERVICE_FIELDS}}
                     for s in services],
        "commitments": [{"ref": f"c{c.id}", **{f: plain(getattr(c, f)) for f in COMMITMENT_FIELDS},
                         "entries": [f"e{i}" for i in c.entry_ids if i in shown]}
                        for c in await commitment_rules.commitments()],
    }


def to_csv(document: dict) -> str:
    """One row per entry text, service and commitment; lists joined by ";"."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()

    def row(kind: str, values: dict) -> None:
        # A cell that begins like a formula is written so a spreadsheet shows it (network.core.spreadsheets).
        writer.writerow({"record": kind, **{k: ";".join(v) if isinstance(v, list) else
                                            ("" if v is None else cell(v)) for k, v in values.items()}})

    for entry in document["entries"]:
        for text in entry["texts"]:
            row("entry", {**{k: v for k, v in entry.items() if k != "texts"}, **text})
    for item in document["services"]:
        row("service", item)
    for item in document["commitments"]:
        row("commitment", item)
    return out.getvalue()


# Import -----------------------------------------------------------------------------------------

def parse(raw: str) -> dict:
    """A library document from JSON or CSV text."""
    # A byte-order mark, or what the form's normaliser made of one (U+FFFD), is not the file.
    text = raw.lstrip("\ufeff\ufffd").strip()
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except ValueError:
            raise Refused("bad_file", BAD_FILE, field="document") from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise Refused("bad_file", BAD_FILE, field="document")
        return document
    return _from_csv(text)


def _from_csv(text: str) -> dict:
    try:
        return _read_csv(text)
    except csv.Error:  # a field longer than the csv module reads, a NUL, a quote left open
        raise Refused("bad_file", BAD_FILE, field="document") from None


def _read_csv(text: str) -> dict:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "record" not in reader.fieldnames:
        raise Refused("bad_file", BAD_FILE, field="document")
    document = {"format": FORMAT, "entries": [], "services": [], "commitments": []}
    entries: dict[str, dict] = {}
    for row in reader:
        values = {k: (v.split(";") if k in LISTS and v else [] if k in LISTS else uncell(v))
                  for k, v in row.items() if k and k != "record" and isinstance(v, str)}
        kind = row.get("record")
        if kind == "entry":
            ref = values.get("ref") or f"row{reader.line_num}"
            entry = entries.get(ref)
            if entry is None:
                entry = entries[ref] = {"ref": ref, **{f: values.get(f) for f in ENTRY_FIELDS}, "texts": []}
                document["entries"].append(entry)
            entry["texts"].append({f: values.get(f, "") for f in TEXT_FIELDS})
        elif kind == "service":
            if values.get("call_logged") in ("True", "False"):
                values["call_logged"] = values["call_logged"] == "True"
            document["services"].append(values)
        elif kind == "commitment":
            document["commitments"].append(values)
        else:
            raise Refused("bad_record", BAD_RECORD, number=reader.line_num, part="record", field="document")
    return document


def _checked(number: int, name: str, read):
    try:
        return read()
    except Refused as exc:
        raise Refused("bad_record", BAD_RECORD, number=number, part=exc.field or name, field="document") from None


def check(document: dict) -> tuple[list, list, list]:
    """Every record read by the same rules as a page or the API: (entries, services, commitments)."""
    groups = [document.get(name) or [] for name in ("entries", "services", "commitments")]
    if not all(isinstance(g, list) and all(isinstance(r, dict) for r in g) for g in groups):
        raise Refused("bad_file", BAD_FILE, field="document")
    if sum(len(g) for g in groups) > MOST_RECORDS:
        raise Refused("too_many", TOO_MANY, max=MOST_RECORDS, field="document")
    number, entries, services, commitments = 0, [], [], []
    for item in groups[0]:
        number += 1
        texts = item.get("texts") if isinstance(item.get("texts"), list) else []
        if not texts or not all(isinstance(t, dict) for t in texts):
            raise Refused("bad_record", BAD_RECORD, number=number, part="texts", field="document")
        entries.append((str(item.get("ref") or ""), _checked(number, "entry", lambda: service.entry_details(item)),
                        [_checked(number, "texts", lambda t=t: service.text_details(t)) for t in texts]))
    for item in groups[1]:
        number += 1
        # How to reach a service is kept apart in a file, as everywhere: {"sensitive": {"address": ...}}.
        sensitive = item.get("sensitive") if isinstance(item.get("sensitive"), dict) else {}
        flat = {**{k: v for k, v in item.items() if k != "sensitive"},
                **{k: v for k, v in sensitive.items() if v not in (None, "")}}
        services.append(_checked(number, "service", lambda: directory.service_details(flat)))
    for item in groups[2]:
        number += 1
        refs = item.get("entries") if isinstance(item.get("entries"), list) else []
        commitments.append((_checked(number, "commitment", lambda: commitment_rules.commitment_details(
            {**item, "entry_ids": []})), [str(r) for r in refs]))
    return entries, services, commitments


async def load(curator, raw: str | dict, publish: bool = False) -> dict[str, int]:
    """Imports a document; returns how many of each kind were added."""
    document = raw if isinstance(raw, dict) else parse(raw)
    entries, services, commitments = check(document)
    refs: dict[str, int] = {}
    async with in_transaction() as connection:
        for ref, details, texts in entries:
            entry = await Entry.create(**details, status="review", submitted_by=curator, using_db=connection)
            for text in texts:
                await service.write_revision(connection, entry, text, curator, say_what_changed=False)
            await record(connection, curator, "entry", entry.id, "imported")
            if publish:
                await service.publish_now(connection, entry, curator)
            refs[ref] = entry.id
        for details in services:
            created = await Service.create(**details, using_db=connection)
            await record(connection, curator, "service", created.id, "imported")
        for details, linked in commitments:
            details["entry_ids"] = [refs[r] for r in linked if r in refs]
            created = await Commitment.create(**details, using_db=connection)
            await record(connection, curator, "commitment", created.id, "imported")
    return {"entries": len(entries), "services": len(services), "commitments": len(commitments)}
