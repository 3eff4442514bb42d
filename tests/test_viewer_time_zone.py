"""A member may read meeting times in their own time zone: set on their profile (page or API), checked
against the IANA list, and then used on meeting pages and in the API, with the meeting's own zone beside."""

from network.members.models import Member
from tests.helpers import make_member, signed_in

# 09:00 in Goma (Africa/Lubumbashi, UTC+2) is 07:00 UTC and 11:30 in Kabul (UTC+4:30), all year round.
MEETING = {"kind": "consultation", "title": "Regional consultation", "city": "Goma", "capacity": 5,
           "starts_at": "2027-03-31T09:00", "ends_at": "2027-03-31T16:00", "time_zone": "Africa/Lubumbashi"}
PROFILE = {"avatar": "leaf", "region": "unsaid", "age_band": "unsaid", "visibility": "nobody", "locale": "en",
           "bio": ""}


async def test_a_member_sets_a_time_zone_and_a_bad_one_is_refused(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        assert (await http.get("/api/v1/me")).json()["member"]["time_zone"] is None
        saved = await http.patch("/api/v1/me", json={"time_zone": "Asia/Kabul"})
        assert saved.status_code == 200 and saved.json()["member"]["time_zone"] == "Asia/Kabul"
        # Typed on a phone without capitals, it is the zone it names.
        typed = await http.patch("/api/v1/me", json={"time_zone": "asia/kabul"})
        assert typed.status_code == 200 and typed.json()["member"]["time_zone"] == "Asia/Kabul"
        for bad in ("Mars/Olympus", "../etc/passwd", "x" * 41, 12):
            refused = await http.patch("/api/v1/me", json={"time_zone": bad})
            assert refused.status_code == 422, (bad, refused.text)
            error = refused.json()["error"]
            assert error["code"] and error["message"], bad
        refused = await http.patch("/api/v1/me", json={"time_zone": "Mars/Olympus", "bio": "Not kept either"})
        assert refused.json()["error"]["code"] == "invalid_time_zone" and "time_zone" in refused.json()["error"]["fields"]
        assert (await Member.get(id=member.id)).time_zone == "Asia/Kabul"
        assert (await Member.get(id=member.id)).bio == ""

        # The profile page: the field, its example written as code (it reads in right-to-left pages).
        page = await http.get("/me")
        assert 'name="time_zone"' in page.text and 'value="Asia/Kabul"' in page.text
        assert "<code>Africa/Nairobi</code>" in (await http.get("/me?lang=ar")).text
        typed = await http.post("/me", data={"csrf_token": http.csrf, **PROFILE, "time_zone": "Nowhere/At_All"})
        assert typed.status_code == 422 and 'value="Nowhere/At_All"' in typed.text and 'aria-invalid="true"' in typed.text
        done = await http.post("/me", data={"csrf_token": http.csrf, **PROFILE, "time_zone": " Europe/Kyiv "})
        assert done.status_code == 303
        assert (await Member.get(id=member.id)).time_zone == "Europe/Kyiv"
        # Empty: back to each meeting's own time zone.
        assert (await http.post("/me", data={"csrf_token": http.csrf, **PROFILE, "time_zone": ""})).status_code == 303
        assert (await Member.get(id=member.id)).time_zone == ""
        assert (await http.patch("/api/v1/me", json={"time_zone": "UTC"})).json()["member"]["time_zone"] == "UTC"
        assert (await http.patch("/api/v1/me", json={"time_zone": None})).json()["member"]["time_zone"] is None


async def test_meeting_times_are_shown_in_the_viewers_zone_with_the_meetings_own_beside(app):
    organiser, member = await make_member(app, "moderator"), await make_member(app)
    async with signed_in(app, organiser) as http:
        made = await http.post("/api/v1/meetings", json=MEETING)
        assert made.status_code == 201, made.text
        meeting = made.json()["meeting"]
    assert meeting["starts_at"].startswith("2027-03-31T07:00")
    async with signed_in(app, member) as http:
        # No zone chosen: the meeting's own, once.
        plain = (await http.get(f"/api/v1/meetings/{meeting['id']}")).json()["meeting"]
        assert plain["shown_in"] == "Africa/Lubumbashi" and "9:00" in plain["starts"] and plain["own_starts"] is None
        page = await http.get(f"/meetings/{meeting['id']}")
        assert "9:00" in page.text and "Africa/Lubumbashi" in page.text and "11:30" not in page.text

        await http.patch("/api/v1/me", json={"time_zone": "Asia/Kabul"})
        mine = (await http.get(f"/api/v1/meetings/{meeting['id']}")).json()["meeting"]
        assert mine["shown_in"] == "Asia/Kabul" and "11:30" in mine["starts"] and "6:30" in mine["ends"]
        assert "9:00" in mine["own_starts"] and "4:00" in mine["own_ends"] and mine["time_zone"] == "Africa/Lubumbashi"
        assert mine["starts_at"] == plain["starts_at"]
        page = await http.get(f"/meetings/{meeting['id']}")
        assert "11:30" in page.text and "Asia/Kabul" in page.text
        assert "9:00" in page.text and "Africa/Lubumbashi" in page.text  # the meeting's own beside it
        listed = await http.get("/meetings")
        assert "11:30" in listed.text and "Asia/Kabul" in listed.text
        assert [m["shown_in"] for m in (await http.get("/api/v1/meetings")).json()["meetings"]] == ["Asia/Kabul"]

        # The same zone as the meeting's: shown once.
        await http.patch("/api/v1/me", json={"time_zone": "Africa/Lubumbashi"})
        same = (await http.get(f"/api/v1/meetings/{meeting['id']}")).json()["meeting"]
        assert same["shown_in"] == "Africa/Lubumbashi" and same["own_starts"] is None
