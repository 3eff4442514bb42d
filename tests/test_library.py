"""The library as its readers, members and curators use it: publication needs a second reader and
is logged for good; how to reach a service never reaches a visitor; a file exported can be imported
again; an entry page is light and its links out go through a warning."""

from __future__ import annotations

import gzip
import json
import re

import pytest

from network.core.append_only import AppendOnly
from network.library import exchange
from network.library.demo import DEMO_FILE
from network.library.models import Commitment, Entry, LibraryEvent, Service
from tests.conftest import both_databases
from tests.helpers import csrf_from, make_member, new_client, signed_in

DETAILS = {"kind": "guide", "audiences": ["survivors"], "countries": ["KE"], "topics": ["participation"],
           "source": "A survivors' group", "licence": "CC BY 4.0", "visibility": "public"}
TEXT = {"locale": "en", "level": "full", "title": "Getting ready for a consultation meeting",
        "summary": "What to bring and what to ask.", "body": "## Before\n\nAsk who will be there."}
SHELTER = {"kind": "shelter", "name": "Safe House (demo)", "country": "KE", "region": "Nairobi",
           "languages": ["sw", "en"], "hours": "Always open", "cost": "free", "summary": "A safe place to stay.",
           "visibility": "public", "last_verified": "2026-10-01", "address": "14 Hidden Lane, Nairobi",
           "phone": "+000 700 111 222", "how_to_reach": "Ask for Mama Neema and say you need the blue room.",
           "call_logged": False}
SECRETS = ("14 Hidden Lane", "+000 700 111 222", "Mama Neema")


async def publish(http, eid: int, **body):
    """A curator publishes the entry as they read it now (its newest log line, from the curation list)."""
    waiting = {e["id"]: e for e in (await http.get("/api/v1/library/curation")).json()["entries"]}
    seen = waiting[eid]["last_change"] if eid in waiting else 1
    return await http.post(f"/api/v1/library/entries/{eid}/publish", json={"seen": seen, **body})


async def _search_titles(http, q: str) -> list[str]:
    results = (await http.get("/api/v1/library/search", params={"q": q})).json()["results"]
    return [re.sub(r"</?mark>", "", r["title"]) for r in results]


@both_databases
async def test_a_curator_cannot_publish_alone_and_every_step_is_logged(app, client, database_url):
    writer, reader = await make_member(app, "moderator"), await make_member(app, "admin")
    async with signed_in(app, writer) as http:
        created = await http.post("/api/v1/library/entries", json={"details": DETAILS, "text": TEXT})
        assert created.status_code == 201, created.text
        entry = created.json()["entry"]
        assert entry["status"] == "draft" and entry["in_library"] is False
        eid = entry["id"]
        assert (await http.post(f"/api/v1/library/entries/{eid}/submit")).status_code == 200
        alone = await publish(http, eid)
        assert alone.status_code == 403 and alone.json()["error"]["code"] == "second_reader"
    assert await _search_titles(client, "consultation") == []
    assert (await client.get(f"/library/entries/{eid}")).status_code == 404
    async with signed_in(app, reader) as http:
        published = await publish(http, eid, reason="Read it.")
        assert published.status_code == 200 and published.json()["entry"]["in_library"] is True
    assert await _search_titles(client, "consultation") == [TEXT["title"]]

    # A new version waits for a second reader while readers keep seeing the published one.
    async with signed_in(app, reader) as http:
        unsaid = await http.post(f"/api/v1/library/entries/{eid}/texts", json={**TEXT, "title": "Ready for a meeting"})
        assert unsaid.status_code == 409 and unsaid.json()["error"]["fields"] == {"what_changed": unsaid.json()[
            "error"]["message"]}
        changed = await http.post(f"/api/v1/library/entries/{eid}/texts", json={
            **TEXT, "title": "Ready for a meeting", "what_changed": "A shorter title"})
        assert changed.status_code == 201 and changed.json()["text"]["revision"] == 2
        assert (await http.post(f"/api/v1/library/entries/{eid}/submit")).status_code == 200
        assert (await publish(http, eid)).status_code == 403
    assert (await client.get(f"/api/v1/library/entries/{eid}")).json()["entry"]["texts"][0]["title"] == TEXT["title"]
    async with signed_in(app, writer) as http:
        assert (await publish(http, eid)).status_code == 200
    shown = (await client.get(f"/api/v1/library/entries/{eid}")).json()["entry"]["texts"]
    assert [t["title"] for t in shown] == ["Ready for a meeting"]
    history = (await client.get(f"/api/v1/library/entries/{eid}/history")).json()["versions"]
    assert [(v["revision"], v["what_changed"]) for v in history] == [(2, "A shorter title"), (1, "")]
    assert "A shorter title" in (await client.get(f"/library/entries/{eid}/history")).text

    events = [(e.action, e.actor_id) for e in await LibraryEvent.filter(subject="entry", subject_id=eid).order_by("id")]
    assert events == [("created", writer.id), ("submitted", writer.id), ("published", reader.id),
                      ("text_added", reader.id), ("submitted", reader.id), ("published", writer.id)]
    logged = await LibraryEvent.first()
    logged.detail = "rewritten"
    with pytest.raises(AppendOnly):
        await logged.save()
    with pytest.raises(AppendOnly):
        await logged.delete()
    async with signed_in(app, writer) as http:
        log = (await http.get("/api/v1/library/log")).json()["events"]
        assert [e["action"] for e in log][:2] == ["published", "submitted"]
        assert (await http.post(f"/api/v1/library/entries/{eid}/archive", json={})).status_code == 200
    assert await _search_titles(client, "meeting") == []


async def test_a_members_proposal_waits_for_a_curator_and_members_cannot_curate(app, client):
    member, curator = await make_member(app), await make_member(app, "moderator")
    async with signed_in(app, member) as http:
        page = await http.get("/library/propose")
        form = {"csrf_token": csrf_from(page.text), **{k: v for k, v in DETAILS.items() if k not in
                                                       ("audiences", "topics", "countries")},
                "audiences": ["survivors", "grassroots"], "topics": "participation", "countries": "KE UA",
                "regions": "Nairobi, Kyiv", **TEXT}
        sent = await http.post("/library/propose", data=form)
        assert sent.status_code == 303 and sent.headers["location"] == "/library?done=proposed"
        entry = await Entry.get(proposed_by_id=member.id)
        assert (entry.status, entry.countries, entry.regions, entry.audiences) == \
            ("review", ["KE", "UA"], ["Nairobi", "Kyiv"], ["survivors", "grassroots"])
        for path in (f"/api/v1/library/entries/{entry.id}/publish", f"/api/v1/library/entries/{entry.id}/submit"):
            assert (await http.post(path, json={"seen": 1})).status_code == 403
        refused = await http.post("/library/propose", data={**form, "title": "", "topics": "cooking"})
        assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text
        assert await Entry.filter(proposed_by_id=member.id).count() == 1
    async with signed_in(app, curator) as http:
        waiting = (await http.get("/api/v1/library/curation")).json()["entries"]
        assert [(e["id"], e["proposed"]) for e in waiting] == [(entry.id, True)]
        page = await http.get(f"/library/curation/entries/{entry.id}")
        assert page.status_code == 200 and 'value="publish"' in page.text
        seen = re.search(r'name="seen" value="(\d+)"', page.text).group(1)
        done = await http.post(f"/library/curation/entries/{entry.id}/review",
                               data={"csrf_token": csrf_from(page.text), "action": "publish", "seen": seen})
        assert done.status_code == 303
    assert await _search_titles(client, "consultation meeting") == [TEXT["title"]]


@both_databases
async def test_how_to_reach_a_service_never_reaches_a_visitor(app, client, database_url):
    curator, member = await make_member(app, "moderator"), await make_member(app)
    async with signed_in(app, curator) as http:
        created = await http.post("/api/v1/library/services", json=SHELTER)
        assert created.status_code == 201, created.text
    sid = created.json()["service"]["id"]
    stored = await Service.get(id=sid)
    assert stored.address == SHELTER["address"]  # sealed at rest, opened for those who may read it
    raw = await Service.filter(id=sid).values_list("address", "phone", "how_to_reach")
    assert all(value.raw.startswith("enc:") for value in raw[0])
    seen_by_visitor = []
    for path in ("/library/services", f"/library/services/{sid}", "/api/v1/library/services",
                 f"/api/v1/library/services/{sid}", "/library/export.json", "/library/export.csv",
                 "/api/v1/library/export", "/library?q=safe", "/api/v1/library/search?q=house",
                 "/library/services?country=KE&kind=shelter"):
        response = await client.get(path)
        assert response.status_code == 200, path
        seen_by_visitor.append(response.text)
    assert not [s for s in SECRETS for text in seen_by_visitor if s in text]
    assert "Sign in" in seen_by_visitor[1] and "Safe House" in seen_by_visitor[1]
    assert set((await client.get(f"/api/v1/library/services/{sid}")).json()["service"]) & \
        {"address", "phone", "how_to_reach", "call_logged"} == set()
    async with signed_in(app, member) as http:
        page = (await http.get(f"/library/services/{sid}")).text
        assert all(s in page for s in SECRETS)
        assert (await http.get(f"/api/v1/library/services/{sid}")).json()["service"]["phone"] == SHELTER["phone"]
        # Not even a member's export carries it: a file travels further than a page.
        assert not [s for s in SECRETS if s in (await http.get("/library/export.csv")).text]
    # A members-only service is not listed to visitors at all.
    async with signed_in(app, curator) as http:
        await http.put(f"/api/v1/library/services/{sid}", json={**SHELTER, "visibility": "members"})
    assert (await client.get(f"/library/services/{sid}")).status_code == 404
    assert "Safe House" not in (await client.get("/library/services")).text


async def test_a_members_suggestion_is_sealed_until_a_curator_accepts_it(app, client):
    curator, member = await make_member(app, "moderator"), await make_member(app)
    async with signed_in(app, curator) as http:
        sid = (await http.post("/api/v1/library/services", json=SHELTER)).json()["service"]["id"]
    async with signed_in(app, member) as http:
        page = await http.get(f"/library/services/{sid}")
        sent = await http.post(f"/library/services/{sid}/suggest", data={
            "csrf_token": csrf_from(page.text), "hours": "Mon-Sat 8-18", "note": "They close on Sundays now."})
        assert sent.status_code == 303
        new = await http.post("/api/v1/library/suggestions", json={
            "kind": "legal", "name": "Legal Aid Desk (demo)", "country": "KE", "phone": "+000 1", "note": "Good."})
        corrected = await http.post(f"/api/v1/library/services/{sid}/suggestions",
                                    json={"cost": "sliding", "note": "Pay what you can now."})
        assert corrected.status_code == 201, corrected.text
        assert new.status_code == 201
        assert (await http.post(f"/api/v1/library/suggestions/{new.json()['suggestion']['id']}/decision",
                                json={"decision": "accept"})).status_code == 403
    async with signed_in(app, curator) as http:
        waiting = (await http.get("/api/v1/library/curation")).json()["suggestions"]
        assert len(waiting) == 3
        page = await http.get("/library/curation")
        assert "They close on Sundays now." in page.text and "Mon-Sat 8-18" in page.text
        for suggestion in waiting:
            decided = await http.post(f"/api/v1/library/suggestions/{suggestion['id']}/decision",
                                      json={"decision": "accept"})
            assert decided.status_code == 200 and decided.json()["suggestion"]["status"] == "accepted"
        again = await http.post(f"/api/v1/library/suggestions/{waiting[0]['id']}/decision",
                                json={"decision": "decline"})
        assert again.status_code == 409
    assert ((await Service.get(id=sid)).hours, (await Service.get(id=sid)).cost) == ("Mon-Sat 8-18", "sliding")
    assert (await Service.get(id=sid)).address == SHELTER["address"]
    assert await Service.filter(name="Legal Aid Desk (demo)").count() == 1


def _without_refs(document: dict) -> dict:
    """A document with its record numbers taken out: they are the database's, not the content's."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False)
    return json.loads(re.sub(r'"[esc]\d+"', '"ref"', text))


@both_databases
async def test_an_export_imports_again_as_it_was_in_json_and_csv(app, client, database_url):
    demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    added = await exchange.load(None, demo, publish=True)
    assert added == {"entries": len(demo["entries"]), "services": len(demo["services"]),
                     "commitments": len(demo["commitments"])}
    first = (await client.get("/api/v1/library/export")).json()
    assert len(first["entries"]) == len([e for e in demo["entries"] if e["visibility"] == "public"])
    assert not any("sensitive" in s or "address" in s for s in first["services"])
    csv_text = (await client.get("/library/export.csv")).text

    for reload in (first, exchange.parse(csv_text)):
        await Entry.all().delete()
        await Service.all().delete()
        await Commitment.all().delete()
        await exchange.load(None, reload, publish=True)
        again = (await client.get("/api/v1/library/export")).json()
        assert _without_refs(again) == _without_refs(first)
    # The commitments still point to the entries they were linked to.
    linked = [c for c in again["commitments"] if c["entries"]]
    assert linked and all(ref in {e["ref"] for e in again["entries"]} for c in linked for ref in c["entries"])


async def test_an_import_with_one_bad_record_adds_nothing_and_says_which(app, client):
    curator = await make_member(app, "moderator")
    good = {"ref": "g", **DETAILS, "texts": [TEXT]}
    document = {"format": exchange.FORMAT, "entries": [good, {**good, "kind": "poem"}],
                "services": [SHELTER]}
    async with signed_in(app, curator) as http:
        refused = await http.post("/api/v1/library/import", json=document)
        assert refused.status_code == 422, refused.text
        assert list(refused.json()["error"]["fields"]) == ["entries.1.kind"]
        page = await http.get("/library/curation")
        pasted = await http.post("/library/curation/import", data={"csrf_token": csrf_from(page.text),
                                                                     "document": json.dumps(document)})
        assert pasted.status_code == 422 and "Record 2 is not valid" in pasted.text
        assert await Entry.all().count() == 0 and await Service.all().count() == 0
        pasted = await http.post("/library/curation/import", data={"csrf_token": csrf_from(page.text),
                                                                     "document": "not,a,library\n1,2,3"})
        assert pasted.status_code == 422 and "not a library file" in pasted.text
        imported = await http.post("/api/v1/library/import", json={**document, "entries": [good]})
        assert imported.status_code == 201 and imported.json()["imported"]["entries"] == 1
    # Imported entries wait for a second reader, like any change.
    assert (await Entry.first()).status == "review"
    assert await _search_titles(client, "consultation") == []


async def test_an_entry_page_with_all_it_loads_is_under_30_kb_and_its_links_out_warn(app, client):
    body = ("## Your rights\n\n" + "Survivors have the right to be heard and to decide what happens next. " * 60 +
            "\n\nRead [the resolution](https://www.un.org/securitycouncil/) and [our guide](/library).")
    await exchange.load(None, {"format": exchange.FORMAT, "entries": [{**DETAILS, "texts": [{**TEXT, "body": body}]}]},
                        publish=True)
    entry = await Entry.first()
    page = await client.get(f"/library/entries/{entry.id}")
    assert page.status_code == 200
    weight = len(gzip.compress(page.content, 6))
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text):
        weight += len(gzip.compress((await client.get(asset)).content, 6))
    assert weight < 30 * 1024, weight
    assert 'href="/out?to=https%3A%2F%2Fwww.un.org%2Fsecuritycouncil%2F"' in page.text
    assert 'href="https://www.un.org' not in page.text and 'href="/library"' in page.text
    warning = await client.get("/out", params={"to": "https://www.un.org/securitycouncil/"})
    assert warning.status_code == 200 and "www.un.org" in warning.text
    assert 'href="https://www.un.org/securitycouncil/" rel="noreferrer noopener"' in warning.text
    for unsafe in ("javascript:alert(1)", "data:text/html,hi", "//evil.example", "https://" + "a" * 3000):
        shown = await client.get("/out", params={"to": unsafe})
        assert shown.status_code == 200 and f'href="{unsafe}' not in shown.text and "cannot be opened" in shown.text
    css = await client.get(re.search(r'href="(/static/[^"]*app[^"]*\.css)"', page.text).group(1))
    assert "@media print" in css.text


async def test_the_library_pages_work_in_every_language_without_javascript(app, client):
    await exchange.load(None, {"format": exchange.FORMAT, "entries": [
        {**DETAILS, "texts": [TEXT, {**TEXT, "locale": "sw", "level": "easy", "title": "Kujiandaa kwa mkutano"}]}]},
        publish=True)
    entry = await Entry.first()
    for locale in ("en", "fr", "ar", "es", "uk", "sw", "fa"):
        for path in ("/library", "/library?q=mkutano&level=easy", f"/library/entries/{entry.id}",
                     f"/library/entries/{entry.id}?read=sw&level=easy", "/library/services", "/library/commitments"):
            response = await client.get(path, params={"lang": locale})
            assert response.status_code == 200, (locale, path)
            assert f'<html lang="{locale}"' in response.text
    easy = await client.get(f"/library/entries/{entry.id}", params={"read": "sw", "level": "easy"})
    assert "Kujiandaa kwa mkutano" in easy.text and 'hreflang="en"' in easy.text
    found = await client.get("/library", params={"q": "mkutano", "lang": "fr"})
    assert "<mark>mkutano</mark>" in found.text and 'lang="sw"' in found.text


@both_databases
async def test_new_details_wait_for_a_second_reader_too(app, client, database_url):
    """Making a members-only entry public is a change like any other: readers see it once another
    curator has read it."""
    writer, reader = await make_member(app, "moderator"), await make_member(app, "admin")
    await exchange.load(None, {"format": exchange.FORMAT, "entries": [
        {**DETAILS, "visibility": "members", "texts": [TEXT]}]}, publish=True)
    entry = await Entry.first()
    assert (await client.get(f"/library/entries/{entry.id}")).status_code == 404
    async with signed_in(app, writer) as http:
        changed = await http.put(f"/api/v1/library/entries/{entry.id}", json={**DETAILS, "visibility": "public"})
        assert changed.status_code == 200 and changed.json()["entry"]["visibility"] == "members"
        assert (await http.post(f"/api/v1/library/entries/{entry.id}/submit")).status_code == 200
    async with signed_in(app, reader) as http:
        # The reader wrote nothing of it, but sending it back and changing it makes them a writer too.
        assert (await http.post(f"/api/v1/library/entries/{entry.id}/return", json={"reason": "Later"})).status_code \
            == 200
        await http.put(f"/api/v1/library/entries/{entry.id}", json={**DETAILS, "visibility": "public",
                                                                     "topics": ["safety"]})
        await http.post(f"/api/v1/library/entries/{entry.id}/submit")
    assert (await client.get(f"/library/entries/{entry.id}")).status_code == 404
    async with signed_in(app, writer) as http:
        refused = await publish(http, entry.id)
        assert refused.status_code == 403  # wrote the first change, still waiting
    other = await make_member(app, "moderator")
    async with signed_in(app, other) as http:
        page = await http.get(f"/library/curation/entries/{entry.id}")
        assert "New details wait for a second reader" in page.text and 'value="publish"' in page.text
        assert (await publish(http, entry.id)).status_code == 200
    shown = (await client.get(f"/api/v1/library/entries/{entry.id}")).json()["entry"]
    assert (shown["visibility"], shown["topics"]) == ("public", ["safety"])
    assert [r["entry_id"] for r in (await client.get("/api/v1/library/search",
                                                     params={"topic": "safety"})).json()["results"]] == [entry.id]


@both_databases
async def test_how_to_reach_a_service_is_for_the_community_only(app, client, database_url):
    """Policymakers are not of the survivors' community; a coercer holding a duress passphrase opens
    a decoy, which is shown no service as reachable (and no member's page looks different for it)."""
    curator, policymaker, member = (await make_member(app, "moderator"), await make_member(app, "policymaker"),
                                    await make_member(app, pseudonym="Reed Warbler"))
    async with signed_in(app, curator) as http:
        sid = (await http.post("/api/v1/library/services", json=SHELTER)).json()["service"]["id"]
        hidden = (await http.post("/api/v1/library/services", json={**SHELTER, "name": "Hidden House",
                                                                     "visibility": "members"})).json()["service"]["id"]
    await exchange.load(None, {"format": exchange.FORMAT, "entries": [
        {**DETAILS, "visibility": "members", "texts": [{**TEXT, "title": "Intake at the safe house"}]}]}, publish=True)
    closed = (await Entry.first()).id
    async with signed_in(app, member) as http:
        await http.put("/api/v1/me/duress", json={"passphrase": "a coerced passphrase here", "action": "none",
                                                  "current_passphrase": "quiet river under the moon"})
    async with signed_in(app, policymaker) as http:
        page = (await http.get(f"/library/services/{sid}")).text
        assert not [s for s in SECRETS if s in page] and "community only" in page
        assert {"address", "phone", "how_to_reach"} & set((await http.get(f"/api/v1/library/services/{sid}")).json()[
            "service"]) == set()
        assert (await http.get(f"/library/services/{hidden}")).status_code == 404
        assert (await http.get(f"/library/entries/{closed}")).status_code == 404
    async with signed_in(app, member) as http:
        assert SHELTER["phone"] in (await http.get(f"/library/services/{hidden}")).text
    async with signed_in(app, member, passphrase="a coerced passphrase here") as decoy:
        assert (await decoy.get("/api/v1/me")).json()["member"]["pseudonym"] == "Reed Warbler"
        seen = (await decoy.get(f"/api/v1/library/services/{sid}")).json()["service"]
        assert (seen["address"], seen["phone"], seen["how_to_reach"], seen["call_logged"]) == ("", "", "", None)
        for path in (f"/library/services/{sid}", f"/library/services/{hidden}", "/api/v1/library/services",
                     "/library/export.json"):
            response = await decoy.get(path)
            assert response.status_code == 200 and not [s for s in SECRETS if s in response.text], path
        assert (await decoy.get(f"/library/entries/{closed}")).status_code == 200  # as any new member


async def test_a_second_reader_publishes_only_what_they_read(app):
    writer, reader = await make_member(app, "moderator"), await make_member(app, "admin")
    async with signed_in(app, writer) as http:
        created = await http.post("/api/v1/library/entries", json={"details": DETAILS, "text": TEXT})
        eid = created.json()["entry"]["id"]
        await http.post(f"/api/v1/library/entries/{eid}/submit")
    async with signed_in(app, reader) as second:
        page = await second.get(f"/library/curation/entries/{eid}")
        seen = re.search(r'name="seen" value="(\d+)"', page.text).group(1)
        async with signed_in(app, writer) as http:  # meanwhile, a change
            await http.post(f"/api/v1/library/entries/{eid}/return", json={"reason": "one more thing"})
            await http.post(f"/api/v1/library/entries/{eid}/texts", json={
                **TEXT, "body": "Call Amina at 14 Hidden Lane.", "what_changed": "A contact"})
            await http.post(f"/api/v1/library/entries/{eid}/submit")
        stale = await second.post(f"/library/curation/entries/{eid}/review", data={
            "csrf_token": csrf_from(page.text), "action": "publish", "seen": seen})
        assert stale.status_code == 409 and "changed since you read it" in stale.text
        assert (await second.post(f"/api/v1/library/entries/{eid}/publish", json={"seen": int(seen)})).status_code \
            == 409
        assert (await Entry.get(id=eid)).published_at is None
        assert (await publish(second, eid)).status_code == 200  # read again, then published


async def test_an_entry_whose_only_writer_was_erased_cannot_be_published_empty(app, client):
    writer, reader = await make_member(app, "moderator"), await make_member(app, "admin")
    async with signed_in(app, writer) as http:
        created = await http.post("/api/v1/library/entries", json={"details": DETAILS, "text": TEXT})
        eid = created.json()["entry"]["id"]
        await http.post(f"/api/v1/library/entries/{eid}/submit")
        erased = await http.request("DELETE", "/api/v1/me", json={"passphrase": "quiet river under the moon",
                                                                  "messages": "delete"})
        assert erased.status_code == 200, erased.text
    async with signed_in(app, reader) as http:
        assert (await http.get(f"/library/curation/entries/{eid}")).status_code == 200
        refused = await publish(http, eid)
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "no_text"
    assert (await client.get("/api/v1/library/export")).json()["entries"] == []


async def test_odd_files_pasted_for_import_are_refused_beside_the_field(app):
    curator = await make_member(app, "moderator")
    good = {"ref": "g", **DETAILS, "texts": [TEXT]}
    odd = [{**good, "regions": 5}, {**good, "audiences": 5}, {**good, "countries": 5}, {**good, "topics": True},
           {**good, "texts": "none"}, {**good, "published_on": "soon"}]
    async with signed_in(app, curator) as http:
        csrf = csrf_from((await http.get("/library/curation")).text)
        for entry in odd:
            pasted = await http.post("/library/curation/import", data={
                "csrf_token": csrf, "document": json.dumps({"format": exchange.FORMAT, "entries": [entry]})})
            assert pasted.status_code == 422 and "Record 1 is not valid" in pasted.text, entry
        for document in ("record,title\nentry," + "x" * 200_000, "record,title\nentry,\"open quote", "\ufeff{}",
                         json.dumps({"format": exchange.FORMAT, "services": [{"name": "x", "languages": 5}]})):
            pasted = await http.post("/library/curation/import", data={"csrf_token": csrf, "document": document},
                                     files={"none": ("", b"")})
            assert pasted.status_code == 422, document[:40]
    assert await Entry.all().count() == 0


async def test_a_commitment_links_only_entries_that_exist_and_no_more_than_fifty(app, client):
    curator = await make_member(app, "moderator")
    await exchange.load(None, {"format": exchange.FORMAT, "entries": [{**DETAILS, "texts": [TEXT]}]}, publish=True)
    real = (await Entry.first()).id
    async with signed_in(app, curator) as http:
        csrf = csrf_from((await http.get("/library/curation/commitments/new")).text)
        form = {"csrf_token": csrf, "country": "KE", "instrument": "National plan", "status": "in_plan"}
        too_many = await http.post("/library/curation/commitments/new",
                                   data={**form, "entry_ids": " ".join(str(n) for n in range(1, 20000))})
        assert too_many.status_code == 422
        saved = await http.post("/library/curation/commitments/new", data={**form, "entry_ids": f"{real} 999999 x"})
        assert saved.status_code == 303
    assert (await Commitment.get()).entry_ids == [real]
    assert (await client.get("/library/commitments")).status_code == 200


@pytest.mark.parametrize("address", ["https://[::1", "https://trusted.org@evil.example/", "https://a.example\\@b",
                                     "https://a.example/\x00x", "https://a.example/\u202eexe.txt", " javascript:x",
                                     "ftp://a.example/", "https:///nohost"])
async def test_the_warning_page_never_follows_an_address_it_cannot_name(client, address):
    shown = await client.get("/out", params={"to": address})
    assert shown.status_code == 200 and "cannot be opened" in shown.text
    assert "Open it anyway" not in shown.text and "\u202e" not in shown.text and "\x00" not in shown.text


async def test_the_warning_page_names_the_host_as_the_browser_reads_it(client):
    shown = await client.get("/out", params={"to": "https://bücher.example/ü"})
    assert "xn--bcher-kva.example" in shown.text and "Open it anyway" in shown.text


async def test_a_long_text_in_cyrillic_is_proposed_whole_from_the_page(app):
    """The form is sent as multipart: 45,000 Cyrillic letters fit the body limit, where percent-encoded
    they would not."""
    member = await make_member(app)
    body = ("Правосуддя для постраждалих починається з того, що їх чують. " * 800)[:45000].strip()
    async with signed_in(app, member) as http:
        page = await http.get("/library/propose")
        assert 'enctype="multipart/form-data"' in page.text
        fields = {"csrf_token": csrf_from(page.text), "kind": "guide", "audiences": "survivors",
                  "topics": "justice", "locale": "uk", "level": "full", "title": "Правосуддя", "body": body}
        sent = await http.post("/library/propose", files={k: (None, v) for k, v in fields.items()})
        assert sent.status_code == 303, sent.text[:300]
    from network.library.models import EntryText

    assert (await EntryText.get(title="Правосуддя")).body == body


async def test_no_route_shows_how_to_reach_a_service_to_anyone_outside_the_community(app):
    """Every GET route, walked as a visitor, a policymaker and a duress decoy (each path number
    standing for the library's service, entry and commitment, or 1): none answers with an address,
    a phone line or what to say. The route list is the app's, so a new route is walked too."""
    curator, policymaker, member = (await make_member(app, "moderator"), await make_member(app, "policymaker"),
                                    await make_member(app, pseudonym="Grey Heron"))
    async with signed_in(app, curator) as http:
        sid = (await http.post("/api/v1/library/services", json={**SHELTER, "visibility": "public"})).json()[
            "service"]["id"]
        await http.post("/api/v1/library/services", json={**SHELTER, "name": "Hidden House"})
        await http.post("/api/v1/library/commitments", json={"country": "KE", "instrument": "Plan"})
    await exchange.load(None, {"format": exchange.FORMAT, "entries": [{**DETAILS, "texts": [TEXT]}]}, publish=True)
    async with signed_in(app, member) as http:
        await http.put("/api/v1/me/duress", json={"passphrase": "a coerced passphrase here", "action": "none",
                                                  "current_passphrase": "quiet river under the moon"})
        await http.post(f"/api/v1/library/services/{sid}/suggestions", json={"note": "still open",
                                                                            "phone": SHELTER["phone"]})
    ids = {"service_id": sid, "entry_id": (await Entry.first()).id, "commitment_id": (await Commitment.first()).id}
    paths = [route.path for route in app.routes if getattr(route, "methods", None) and "GET" in route.methods
             and route.path not in ("/exit",)]
    assert len(paths) > 80
    leaks = []
    readers = [("visitor", new_client(app)), ("policymaker", signed_in(app, policymaker)),
               ("decoy", signed_in(app, member, passphrase="a coerced passphrase here"))]
    for who, opened in readers:
        async with opened as http:
            for path in paths:
                url = re.sub(r"{(\w+)(:\w+)?}", lambda m: str(ids.get(m.group(1), 1)), path)
                text = (await http.get(url)).text
                leaks += [(who, url, secret) for secret in SECRETS if secret in text]
    assert leaks == []
