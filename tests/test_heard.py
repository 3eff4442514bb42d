"""Who we heard from: every figure comes from the consultations' final releases or the monthly
membership count, both through the one egress, and the audit of tests/test_disclosure_audit.py
recovers no hidden figure; the groups heard less than their share are named. And the under-18
version of a consultation reaches exactly the under-18 band, whose written answers reach the
policymaker only with at least k young members'."""

import csv
import io

from consultations import heard
from consultations.models import Answer, Participation
from network.members.models import AGE_BANDS
from tests.helpers import make_member, signed_in
from tests.test_consultations import DRAFT, _answers, _create


async def _member(app, **profile):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        response = await http.patch("/api/v1/me", json=profile)
        assert response.status_code == 200, response.text
    return member


async def _answer(app, member, consultation, text=""):
    cid = consultation["id"]
    async with signed_in(app, member) as http:
        assert (await http.post(f"/api/v1/consultations/{cid}/consent", json={"share_profile": True})).status_code \
            == 200
        saved = await http.put(f"/api/v1/consultations/{cid}/answers", json={
            "answers": _answers(consultation, 0, [0], 3, [0, 1, 2], text=text), "submit": True})
        assert saved.status_code == 200, saved.text


async def test_the_dashboard_publishes_only_released_sums_and_names_who_is_heard_less(app):
    owner = await make_member(app, "policymaker")
    first, second = await _create(app, owner), await _create(app, owner)
    # 6 Swahili speakers in Kenya who answer both; 6 French speakers in Congo who answer the first only;
    # 3 women with a disability among the Swahili speakers; 9 Arabic speakers who never answer.
    sw = [await _member(app, languages=["sw"], region="KE", age_band="25-34",
                        **({"gender": "woman", "disability": "yes"} if n < 3 else {})) for n in range(6)]
    fr = [await _member(app, languages=["fr"], region="CD", age_band="35-49") for _ in range(6)]
    [await _member(app, languages=["ar"], region="SD", age_band="18-24") for _ in range(9)]
    lone = await _member(app, languages=["uk"], region="UA", age_band="50plus", gender="man")
    for member in sw + fr + [lone]:
        await _answer(app, member, first)
    for member in sw:
        await _answer(app, member, second)
    async with signed_in(app, owner) as http:
        for c in (first, second):
            assert (await http.post(f"/api/v1/consultations/{c['id']}/close")).status_code == 200
        releases = {c["id"]: (await http.get(f"/api/v1/consultations/{c['id']}/results")).json()["results"]
                    for c in (first, second)}
        data = (await http.get("/api/v1/heard")).json()
        page = await http.get("/heard")
        sheet = await http.get("/heard.csv")

    # Per consultation: exactly what its final release published, nothing more.
    for row in data["consultations"]:
        release = releases[row["id"]]
        assert row["respondents"] == release["respondents"]
        assert row["groups"] == {attribute: dict(zip(b["groups"], b["sizes"]))
                                 for attribute, b in release["breakdowns"].items()}
    # Network-wide: sums of those numbers only (the lone Ukrainian speaker is in no group shown).
    assert data["respondents"] == 13 + 6
    assert data["heard"]["language"] == {"sw": 12, "fr": 6}
    assert "uk" not in data["heard"]["language"] and data["heard"]["gender"] == {}
    assert sum(m["respondents"] for m in data["months"]) == data["respondents"]
    # The membership (22): by language, region and age band only, groups under k hidden, the rest to
    # the nearest k, so the lone Ukrainian speaker is in no figure, and a join moves no group's.
    members = data["members"]
    assert members["members"] == 20 and members["k"] == 5 and set(members["groups"]) == {
        "language", "region", "age_band"}
    assert members["groups"]["language"] == {"sw": 5, "fr": 5, "ar": 10, "uk": None}
    assert all(count is None or count % 5 == 0 for groups in members["groups"].values() for count in groups.values())
    before = await heard._count_members()
    await _member(app, languages=["ar"], region="SD", age_band="18-24")
    assert (await heard._count_members())["groups"] == before["groups"]
    # Arabic speakers are half the members shown and none of those heard: heard less than their share.
    under = {(g["attribute"], g["value"]) for g in data["under_represented"]}
    assert ("language", "ar") in under and ("language", "sw") not in under
    assert page.status_code == 200 and page.text.count("<svg") >= 3 and "Under-represented" in page.text
    rows = list(csv.reader(io.StringIO(sheet.text)))
    assert rows[0][:3] == ["section", "consultation", "month"]
    assert ["group", "", "", "language", "ar", "0", "0.0", "10", "0.5", "yes"] in rows
    assert not any(row[4] == "uk" and row[7] not in ("",) for row in rows if row[0] == "group")


async def test_the_youth_text_reaches_exactly_the_under_18_band_and_their_texts_come_in_groups(app):
    owner = await make_member(app, "policymaker")
    draft = {**DRAFT, "k": 3, "youth_consent_text": {"en": "This is for young people. You can stop at any time."}}
    consultation = await _create(app, owner, draft)
    cid = consultation["id"]
    seen = {}
    for band in AGE_BANDS:
        member = await _member(app, age_band=band)
        async with signed_in(app, member) as http:
            detail = (await http.get(f"/api/v1/consultations/{cid}")).json()["consultation"]
            page = await http.get(f"/consultations/{cid}")
        seen[band] = detail["consent_text"]
        assert ("This is for young people" in page.text) == (band == "under18")
    assert seen.pop("under18") == draft["youth_consent_text"]["en"]
    assert set(seen.values()) == {DRAFT["consent_text"]["en"]}

    moderator = await make_member(app, "moderator")
    young = [await _member(app, age_band="under18") for _ in range(3)]
    adults = [await _member(app, age_band="25-34") for _ in range(3)]

    async def released_texts():
        async with signed_in(app, moderator) as http:
            for item in (await http.get("/api/v1/consultations/review")).json()["pending"]:
                assert (await http.post(f"/api/v1/consultations/review/{item['id']}",
                                        json={"decision": "release"})).status_code == 200
        async with signed_in(app, owner) as http:
            return sorted(t["text"] for t in (await http.get(f"/api/v1/consultations/{cid}/results")).json()["texts"])

    for n, member in enumerate(adults):
        await _answer(app, member, consultation, text=f"adult view {n}")
    await _answer(app, young[0], consultation, text="young view 0")
    await _answer(app, young[1], consultation, text="young view 1")
    # Two young members have written: fewer than k, so the policymaker reads none of theirs.
    assert await released_texts() == ["adult view 0", "adult view 1", "adult view 2"]
    await _answer(app, young[2], consultation, text="young view 2")
    assert await released_texts() == ["adult view 0", "adult view 1", "adult view 2",
                                      "young view 0", "young view 1", "young view 2"]
    # Nothing stored says which participation is a young member's: their texts point at none, and
    # each finds their own through their key.
    assert "youth" not in Participation._meta.fields_map
    assert sorted(a.text for a in await Answer.filter(participation_id__isnull=True)) == [
        "young view 0", "young view 1", "young view 2"]
    async with signed_in(app, young[1]) as http:
        assert "young view 1" in (await http.get(f"/consultations/{cid}/answer")).text
        assert (await http.delete(f"/api/v1/consultations/{cid}/answers")).status_code == 200
    assert sorted(a.text for a in await Answer.filter(participation_id__isnull=True)) == [
        "young view 0", "young view 2"]
    assert await released_texts() == ["adult view 0", "adult view 1", "adult view 2"]
    # Changing the youth text asks everyone again, as any change of the consent does.
    async with signed_in(app, owner) as http:
        changed = await http.put(f"/api/v1/consultations/{cid}", json={
            **{k: v for k, v in draft.items()}, "questions": draft["questions"],
            "youth_consent_text": {"en": "Changed for young people."}})
        assert changed.status_code == 200, changed.text
    async with signed_in(app, young[0]) as http:
        again = await http.put(f"/api/v1/consultations/{cid}/answers", json={"answers": [], "submit": False})
    assert again.status_code == 409 and again.json()["error"]["code"] == "consent_changed"
