"""`survnet demo` shows the product in the network's languages, as a member would see it."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys

from consultations.models import Consultation, Question, Section
from messaging.models import Message, Room
from network.core.settings import LOCALES, ROOT
from tests.conftest import base_env
from tests.helpers import signed_in


async def _seed(app) -> dict:
    """Every package's demo seed on the test database, as `survnet demo` runs them."""
    rt, accounts = app.state.runtime, {}
    for seed in rt.registry.demo_seeds:
        await seed(rt, accounts)
    return accounts


async def test_the_consultation_is_written_in_all_seven_languages(app):
    await _seed(app)
    consultation = await Consultation.get(status="open")
    for field in ("title", "summary", "consent_text"):
        assert set(getattr(consultation, field)) == set(LOCALES), field
        assert all(text.strip() for text in getattr(consultation, field).values())
    sections = await Section.filter(consultation=consultation)
    assert sections and all(set(s.heading) == set(s.body) == set(LOCALES) for s in sections)
    questions = await Question.filter(consultation=consultation)
    assert {q.kind for q in questions} == {"single", "multiple", "scale", "ranking", "text", "comment"}
    for question in questions:
        assert set(question.prompt) == set(LOCALES), question.kind
        assert all(set(option) == set(LOCALES) for option in question.options), question.kind
    # Each language's text is its own, not English copied.
    assert len(set(consultation.title.values())) == len(LOCALES)


async def test_rooms_exist_in_several_languages_with_messages_in_them(app):
    await _seed(app)
    rooms = await Room.all()
    languages = {room.language for room in rooms}
    assert {"ar", "fa", "fr", "en"} <= languages
    for code, script in (("ar", "[\u0600-\u06ff]"), ("fa", "[\u0600-\u06ff]"), ("fr", "[A-Za-zé]")):
        room = next(r for r in rooms if r.language == code)
        messages = await Message.filter(room=room, status="visible")
        assert messages, code
        assert all(re.search(script, m.body) for m in messages), code


async def test_a_member_reads_the_demo_in_persian_and_arabic(app):
    accounts = await _seed(app)
    consultation = await Consultation.get(status="open")
    async with signed_in(app, accounts["member"], passphrase="demo member passphrase 1") as http:
        persian = await http.get(f"/consultations/{consultation.id}?lang=fa")
        assert persian.status_code == 200
        assert consultation.title["fa"] in persian.text and consultation.title["en"] not in persian.text
        rooms = await http.get("/rooms?lang=ar")
        assert rooms.status_code == 200
        assert "مساحة الترحيب" in rooms.text and "Bienvenue" in rooms.text


def test_the_demo_command_seeds_the_languages(tmp_path):
    env = base_env(tmp_path / "var", SURVNET_ARGON2_MEMORY_KIB="1024", SURVNET_ARGON2_TIME_COST="1")
    survnet = [sys.executable, "-m", "network.core.cli"]
    subprocess.run([*survnet, "migrate"], env=env, cwd=ROOT, check=True, capture_output=True)
    done = subprocess.run([*survnet, "demo"], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    assert "Demo Member" in done.stdout
    with sqlite3.connect(tmp_path / "var" / "survnet.sqlite3") as db:
        languages = {row[0] for row in db.execute("SELECT language FROM room")}
        titles = db.execute("SELECT title FROM consultation").fetchall()
    assert {"ar", "fa", "fr"} <= languages
    assert len(titles) == 2 and all(f'"{code}"' in title for (title,) in titles for code in LOCALES)


async def test_the_library_demo_spans_the_seven_languages_and_six_countries(app, client):
    from network.library.models import Commitment, Entry, EntryText, Service

    await _seed(app)
    entries, services = await Entry.filter(published_at__not_isnull=True).count(), await Service.all()
    assert entries >= 30 and len(services) >= 20
    assert set(await EntryText.filter(published=True).values_list("locale", flat=True)) == set(LOCALES)
    report = {"AF", "CD", "CO", "IQ", "KE", "UA"}
    assert {s.country for s in services} == report
    assert report <= {c for row in await Entry.all().values_list("countries", flat=True) for c in row}
    assert report == set(await Commitment.all().values_list("country", flat=True))
    assert await EntryText.filter(level="easy", published=True).count() >= 5
    # Every language finds something in its own words.
    for locale in LOCALES:
        title = (await EntryText.filter(locale=locale, published=True, entry__visibility="public").first()).title
        word = max(re.findall(r"\w+", title), key=len)
        found = (await client.get("/api/v1/library/search", params={"q": word, "language": locale})).json()
        assert found["total"] >= 1, (locale, word)
