"""Small grants to partner organisations: below the threshold no budget table and no receipts, a
report of three questions; above it the budget, receipts and two approvers; a cluster grant funds
several small projects and reports once; grants stand beside stipends in the donor report; mentoring
is kept with the grant."""

import asyncio
from datetime import date, timedelta

from network.grants.models import Grant, GrantReport, Mentoring
from network.organisations import service as organisations
from network.stipends.models import Budget, Stipend
from tests.conftest import both_databases
from tests.helpers import csrf_from, make_member, signed_in

TODAY = date.today()
ANSWERS = {"did": "Eight peer circles met.", "reached": "37 women in two districts.", "learned": "Market days work."}


async def _setup(app, budget="100000"):
    admin, second_admin = await make_member(app, "admin"), await make_member(app, "admin")
    rep = await make_member(app, "member")
    organisation = await organisations.create({"name": "Tujiunge", "kind": "survivor_led", "country": "CD"})
    await organisations.add_representative(admin, organisation.id, rep.pseudonym)
    async with signed_in(app, admin) as http:
        fund = (await http.post("/api/v1/funds", json={
            "name": "Grassroots fund", "currency": "KES", "small_grant_threshold": "5000"})).json()["fund"]
        made = await http.post(f"/api/v1/funds/{fund['id']}/budgets", json={
            "period_start": str(TODAY.replace(day=1)), "period_end": str(TODAY + timedelta(days=31)), "amount": budget})
        assert made.status_code == 201, made.text
    return admin, second_admin, rep, organisation, fund


def _grant(fund, **extra) -> dict:
    return {"fund_id": fund["id"], "title": "Peer support circles", "for_whom": "Survivors in two districts",
            "amount": "3000", "starts_on": str(TODAY), "ends_on": str(TODAY + timedelta(days=90)),
            "payout_method": "mobile_money", "payout_details": "+243 000 000 (group account)", **extra}


async def _decide(app, admin, stipend_id):
    async with signed_in(app, admin) as http:
        return await http.post(f"/api/v1/stipends/{stipend_id}/decision", json={"decision": "approve", "reason": ""})


async def test_a_grant_below_the_threshold_asks_for_no_receipts(app):
    admin, second_admin, rep, organisation, fund = await _setup(app)
    base = f"/organisations/{organisation.id}/grants"
    async with signed_in(app, rep) as http:
        form = await http.get(base + "/new")
        assert form.status_code == 200 and "small grants up to" in form.text
        sent = await http.post(base + "/new", data={**_grant(fund), "csrf_token": csrf_from(form.text)})
        assert sent.status_code == 303, sent.text
        grant = await Grant.get(organisation=organisation).prefetch_related("stipend")
        page = await http.get(f"{base}/{grant.id}")
    stipend = grant.stipend
    # The money is a stipend made out to the organisation: no member stands behind it in the books.
    assert grant.light and stipend.kind == "grant" and stipend.member_id is None
    assert stipend.organisation_id == organisation.id and not stipend.receipt_needed
    assert "receipt_" not in page.text and "<table>" not in page.text
    assert (await _decide(app, admin, stipend.id)).json()["stipend"]["status"] == "approved"  # one approver
    assert (await Budget.first()).reserved_minor == 300000
    async with signed_in(app, rep) as http:
        page = await http.get(f"{base}/{grant.id}")
        # The report asks its three questions and nothing else: no receipt, no budget.
        assert page.text.count("<textarea") == 3 and "receipt_" not in page.text and "spent_" not in page.text
        reported = await http.post(f"{base}/{grant.id}/report", data={**ANSWERS, "csrf_token": csrf_from(page.text)})
        assert reported.status_code == 303, reported.text
        shown = (await http.get(f"/api/v1{base}/{grant.id}")).json()["grant"]
    assert shown["report"]["reached"] == ANSWERS["reached"] and shown["receipts_needed"] is False
    async with signed_in(app, admin) as http:  # administrators read the report beside the request
        read = await http.get(f"/admin/grants/{grant.id}")
    assert ANSWERS["learned"] in read.text and f"/stipends/{stipend.id}" in read.text and "<textarea" not in read.text


async def test_above_the_threshold_the_budget_receipts_and_two_approvers(app):
    admin, second_admin, rep, organisation, fund = await _setup(app)
    api = f"/api/v1/organisations/{organisation.id}/grants"
    async with signed_in(app, rep) as http:
        bare = await http.post(api, json=_grant(fund, amount="8000"))
        assert bare.status_code == 422 and bare.json()["error"]["code"] == "budget_needed"
        wrong = await http.post(api, json=_grant(fund, amount="8000", lines=[{"item": "Venue", "amount": "5000"}]))
        assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "budget_total"
        assert await Grant.all().count() == 0 and await Stipend.all().count() == 0  # nothing was kept
        made = await http.post(api, json=_grant(fund, amount="8000", lines=[
            {"item": "Venue", "amount": "5000"}, {"item": "Transport", "amount": "3000"}]))
        assert made.status_code == 201, made.text
    grant = made.json()["grant"]
    assert grant["light"] is False and grant["receipts_needed"] is True and len(grant["lines"]) == 2
    assert (await _decide(app, admin, grant["stipend_id"])).json()["stipend"]["status"] == "pending"
    assert (await _decide(app, second_admin, grant["stipend_id"])).json()["stipend"]["status"] == "approved"
    async with signed_in(app, rep) as http:
        no_receipts = await http.post(f"{api}/{grant['id']}/report", json=ANSWERS)
        assert no_receipts.status_code == 422 and no_receipts.json()["error"]["code"] == "receipt_needed"
        assert not await GrantReport.exists()
        lines = [{"id": line["id"], "spent": "4800", "receipt": f"R-{n}"} for n, line in enumerate(grant["lines"])]
        done = await http.post(f"{api}/{grant['id']}/report", json={**ANSWERS, "lines": lines})
        assert done.status_code == 200, done.text
    assert [line["receipt"] for line in done.json()["grant"]["lines"]] == ["R-0", "R-1"]


@both_databases
async def test_a_cluster_grant_reports_once(app, database_url):
    admin, second_admin, rep, organisation, fund = await _setup(app)
    other_rep = await make_member(app, "member")
    await organisations.add_representative(admin, organisation.id, other_rep.pseudonym)
    api = f"/api/v1/organisations/{organisation.id}/grants"
    projects = [{"name": f"Circle {n}", "what": "Monthly peer support", "amount": "3000"} for n in range(3)]
    async with signed_in(app, rep) as http:
        large = await http.post(api, json=_grant(fund, amount="", cluster=True, projects=[
            *projects[:2], {"name": "Big", "what": "A clinic", "amount": "9000"}]))
        assert large.status_code == 422 and large.json()["error"]["code"] == "project_too_large"
        alone = await http.post(api, json=_grant(fund, amount="", cluster=True, projects=projects[:1]))
        assert alone.status_code == 422
        made = await http.post(api, json=_grant(fund, amount="", cluster=True, projects=projects))
        assert made.status_code == 201, made.text
    grant = made.json()["grant"]
    # One grant, one request, the projects' sum. The sum is above the small-grant threshold: two
    # approvers, and the one report accounts for each project as a budget line with its receipt.
    assert grant["amount"] == "9000.00" and not grant["light"] and len(grant["projects"]) == 3
    assert [line["item"] for line in grant["lines"]] == ["Circle 0", "Circle 1", "Circle 2"]
    assert await Stipend.filter(kind="grant").count() == 1
    await _decide(app, admin, grant["stipend_id"])
    assert (await _decide(app, second_admin, grant["stipend_id"])).json()["stipend"]["status"] == "approved"
    lines = [{"id": line["id"], "spent": "3000", "receipt": f"R-{line['id']}"} for line in grant["lines"]]

    async def report(member):
        async with signed_in(app, member) as http:
            return await http.post(f"{api}/{grant['id']}/report", json={**ANSWERS, "lines": lines})

    # Two representatives send the report at the same moment: it is kept once.
    results = await asyncio.gather(report(rep), report(other_rep))
    assert sorted(r.status_code for r in results) == [200, 409], [r.text for r in results]
    assert await GrantReport.filter(grant_id=grant["id"]).count() == 1
    assert (await report(rep)).json()["error"]["code"] == "already_reported"


async def test_a_small_cluster_asks_for_no_receipts_either(app):
    admin, second_admin, rep, organisation, fund = await _setup(app)
    api = f"/api/v1/organisations/{organisation.id}/grants"
    projects = [{"name": f"Circle {n}", "what": "Monthly peer support", "amount": "2000"} for n in range(2)]
    async with signed_in(app, rep) as http:
        grant = (await http.post(api, json=_grant(fund, amount="", cluster=True, projects=projects))).json()["grant"]
        assert grant["light"] and grant["lines"] == [] and not grant["receipts_needed"]
        await _decide(app, admin, grant["stipend_id"])
        assert (await http.post(f"{api}/{grant['id']}/report", json=ANSWERS)).status_code == 200


async def test_grants_stand_beside_stipends_in_the_donor_report_suppressed_the_same_way(app):
    admin, second_admin, rep, organisation, fund = await _setup(app)
    async with signed_in(app, rep) as http:
        grant = (await http.post(f"/api/v1/organisations/{organisation.id}/grants", json=_grant(fund))).json()["grant"]
    await _decide(app, admin, grant["stipend_id"])
    others = []
    for n in range(5):
        extra = await organisations.create({"name": f"Group {n}", "country": "CD"})
        member = await make_member(app, "member")
        await organisations.add_representative(admin, extra.id, member.pseudonym)
        others.append((extra, member))
    async with signed_in(app, admin) as http:
        one = (await http.get(f"/api/v1/funds/{fund['id']}/report")).json()["report"]
    cells = [c for c in one["cells"] if c["kind"] == "grant"]
    assert cells and cells[0]["people"] is None and cells[0]["amount"] is None  # one organisation: hidden
    for extra, member in others:
        async with signed_in(app, member) as http:
            made = (await http.post(f"/api/v1/organisations/{extra.id}/grants", json=_grant(fund))).json()["grant"]
        await _decide(app, admin, made["stipend_id"])
    async with signed_in(app, admin) as http:
        six = (await http.get(f"/api/v1/funds/{fund['id']}/report")).json()["report"]
        csv = await http.get(f"/api/v1/funds/{fund['id']}/report?format=csv")
    cell = [c for c in six["cells"] if c["kind"] == "grant"][0]
    assert cell["people"] == 6 and cell["amount"] == "18000.00" and "Tujiunge" not in csv.text


async def test_an_administrator_does_not_approve_a_grant_of_their_own_organisation_or_their_own_making(app):
    admin, second_admin, rep, organisation, fund = await _setup(app)
    await organisations.add_representative(admin, organisation.id, second_admin.pseudonym)
    async with signed_in(app, rep) as http:
        grant = (await http.post(f"/api/v1/organisations/{organisation.id}/grants", json=_grant(fund))).json()["grant"]
    refused = await _decide(app, second_admin, grant["stipend_id"])
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "own_request"
    # Applying, then no longer representing it, does not make it someone else's request.
    async with signed_in(app, second_admin) as http:
        own = (await http.post(f"/api/v1/organisations/{organisation.id}/grants", json=_grant(fund))).json()["grant"]
    representative = [r for r in await organisations.representatives(organisation) if r.member_id == second_admin.id]
    await organisations.remove_representative(organisation.id, representative[0].id)
    refused = await _decide(app, second_admin, own["stipend_id"])
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "own_request"
    assert (await Stipend.get(id=own["stipend_id"])).status == "pending"


async def test_a_grant_within_the_small_threshold_still_needs_two_approvers_above_the_funds_own(app):
    admin, second_admin, rep, organisation, fund = await _setup(app)
    async with signed_in(app, admin) as http:
        strict = (await http.post("/api/v1/funds", json={"name": "Strict fund", "currency": "KES",
                                                         "small_grant_threshold": "5000",
                                                         "two_approver_threshold": "1000"})).json()["fund"]
        await http.post(f"/api/v1/funds/{strict['id']}/budgets", json={
            "period_start": str(TODAY.replace(day=1)), "period_end": str(TODAY + timedelta(days=31)), "amount": "9000"})
    async with signed_in(app, rep) as http:
        grant = (await http.post(f"/api/v1/organisations/{organisation.id}/grants",
                                 json=_grant(strict, amount="4000"))).json()["grant"]
    assert grant["light"]
    assert (await _decide(app, admin, grant["stipend_id"])).json()["stipend"]["status"] == "pending"
    assert (await _decide(app, second_admin, grant["stipend_id"])).json()["stipend"]["status"] == "approved"


async def test_mentoring_is_matched_and_its_sessions_kept_with_the_grant(app):
    admin, second_admin, rep, organisation, fund = await _setup(app)
    mentor, stranger = await make_member(app, "member"), await make_member(app, "member")
    api = f"/api/v1/organisations/{organisation.id}"
    async with signed_in(app, rep) as http:
        grant = (await http.post(api + "/grants", json=_grant(fund))).json()["grant"]
        bad = await http.post(api + "/mentoring", json={"topic": "astrology"})
        assert bad.status_code == 422 and "error" in bad.json()
        page = await http.get(f"/organisations/{organisation.id}/grants")
        for wrong in ("x", "99999999999", "-1"):  # a grant that is none of theirs is refused, not dropped
            sent = await http.post(f"/organisations/{organisation.id}/mentoring", data={
                "csrf_token": csrf_from(page.text), "topic": "governance", "grant_id": wrong})
            assert sent.status_code in (404, 422), (wrong, sent.status_code)
        assert not await Mentoring.exists()
        asked = await http.post(api + "/mentoring", json={"topic": "data_protection", "grant_id": grant["id"],
                                                          "note": "Our member list"})
        assert asked.status_code == 201, asked.text
    mentoring_id = asked.json()["mentoring"]["id"]
    async with signed_in(app, admin) as http:
        own = await http.post(f"/api/v1/mentoring/{mentoring_id}/match", json={"pseudonym": rep.pseudonym})
        assert own.status_code == 422 and own.json()["error"]["code"] == "own_mentor"
        matched = await http.post(f"/api/v1/mentoring/{mentoring_id}/match", json={"pseudonym": mentor.pseudonym})
        assert matched.json()["mentoring"]["status"] == "matched"
    async with signed_in(app, stranger) as http:
        assert (await http.get(f"/api/v1/mentoring/{mentoring_id}")).status_code == 404
        refused = await http.post(f"/api/v1/mentoring/{mentoring_id}/sessions",
                                  json={"held_on": str(TODAY), "notes": "Not mine to write"})
        assert refused.status_code == 404
    async with signed_in(app, rep) as http:
        assert (await http.post(f"/api/v1/mentoring/{mentoring_id}/sessions",
                                json={"held_on": str(TODAY), "notes": "Our own notes"})).status_code == 403
    async with signed_in(app, mentor) as http:
        kept = await http.post(f"/api/v1/mentoring/{mentoring_id}/sessions",
                               json={"held_on": str(TODAY), "notes": "Went through who may see the member list."})
        assert kept.status_code == 201, kept.text
    async with signed_in(app, rep) as http:
        page = await http.get(f"/organisations/{organisation.id}/grants/{grant['id']}")
    assert "Went through who may see the member list." in page.text


async def test_representatives_read_why_a_grant_was_not_approved(app):
    admin, second_admin, rep, organisation, fund = await _setup(app)
    async with signed_in(app, rep) as http:
        grant = (await http.post(f"/api/v1/organisations/{organisation.id}/grants", json=_grant(fund))).json()["grant"]
    async with signed_in(app, admin) as http:
        rejected = await http.post(f"/api/v1/stipends/{grant['stipend_id']}/decision",
                                   json={"decision": "reject", "reason": "The fund is closed to new groups this year."})
        assert rejected.status_code == 200, rejected.text
    async with signed_in(app, rep) as http:
        page = await http.get(f"/organisations/{organisation.id}/grants/{grant['id']}")
        listed = (await http.get(f"/api/v1/organisations/{organisation.id}/grants")).json()["grants"]
    assert "The fund is closed to new groups this year." in page.text
    assert listed[0]["status"] == "rejected" and listed[0]["reason"].startswith("The fund is closed")
