"""Members, stipends and safety forms: an error keeps everything typed or chosen (never a passphrase),
marks the field, and changes nothing; a new member's profile keeps the language they read in; an
Arabic page shows no stored code raw."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

from network.core.i18n import gettext
from network.members.models import Invitation, Member
from network.stipends.models import Budget, Fund, Stipend
from tests.helpers import PASSPHRASE, csrf_from, make_member, signed_in

TODAY = date.today()


class _Form(HTMLParser):
    """What a browser would send for the form posting to `action`: checked boxes, selected options
    (the first one when none is), text fields and textareas as they are on the page."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.fields = action, False, []
        self._select, self._options, self._textarea = None, [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") != "submit":
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            else:
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            chosen = [v for v, selected in self._options if selected] or [self._options[0][0]]
            self.fields.append((self._select, chosen[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None


def form_of(html: str, action: str) -> list[tuple[str, str]]:
    parser = _Form(action)
    parser.feed(html)
    return parser.fields


def as_data(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def tag_with(html: str, attribute: str) -> str:
    """The whole start tag that holds `attribute` (e.g. 'name="bio"')."""
    return re.search(r"<[^<>]*" + re.escape(attribute) + r"[^<>]*>", html).group(0)


def visible_text(html: str) -> str:
    """What a person reads: text between tags and images' alt texts, without scripts, styles or attributes."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    alts = " ".join(re.findall(r'alt="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + alts


# The profile ------------------------------------------------------------------------------------

async def test_a_new_member_reading_in_french_saves_the_profile_and_stays_in_french(app):
    member = await make_member(app)
    assert member.locale is None
    async with signed_in(app, member) as http:
        http.cookies.set("lang", "fr")
        page = await http.get("/me")
        assert '<html lang="fr"' in page.text
        assert 'value="fr" selected' in tag_with(page.text, 'value="fr" selected')
        sent = form_of(page.text, "/me")
        assert ("locale", "fr") in sent
        sent = [(k, "Je lis en français." if k == "bio" else v) for k, v in sent]
        response = await http.post("/me", data=as_data(sent))
        assert response.status_code == 303
        http.cookies.delete("lang")  # the saved choice now carries the language, not the cookie
        after = await http.get("/me")
    assert '<html lang="fr"' in after.text and "Je lis en français." in after.text
    saved = await Member.get(id=member.id)
    assert saved.locale == "fr" and saved.bio == "Je lis en français."


async def test_a_browser_in_arabic_keeps_arabic_selected_on_the_profile(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        page = await http.get("/me", headers={"accept-language": "ar,en;q=0.5"})
        assert ("locale", "ar") in form_of(page.text, "/me")
        response = await http.post("/me", data=as_data(form_of(page.text, "/me")), headers={"accept-language": "ar"})
    assert response.status_code == 303
    assert (await Member.get(id=member.id)).locale == "ar"


async def test_a_refused_profile_keeps_every_choice_and_changes_nothing(app):
    member = await make_member(app)
    before = await Member.get(id=member.id)
    async with signed_in(app, member) as http:
        page = await http.get("/me")
        data = {"csrf_token": csrf_from(page.text), "avatar": "moon", "languages": ["sw", "fr"], "region": "KE",
                "age_band": "35-49", "bio": "Mimi ni " + "x" * 520, "locale": "es", "visibility": "members"}
        response = await http.post("/me", data=data)
    assert response.status_code == 422
    html = response.text
    assert "x" * 520 in html
    assert "aria-invalid" in tag_with(html, 'name="bio"') and 'dir="auto"' in tag_with(html, 'name="bio"')
    assert "checked" in tag_with(html, 'name="avatar" value="moon"')
    assert "checked" not in tag_with(html, f'name="avatar" value="{before.avatar}"') or before.avatar == "moon"
    assert "checked" in tag_with(html, 'name="languages" value="sw"')
    assert "checked" in tag_with(html, 'name="languages" value="fr"')
    assert "selected" in tag_with(html, 'value="KE"') and "selected" in tag_with(html, 'value="35-49"')
    assert "selected" in tag_with(html, 'value="es" selected')
    assert "checked" in tag_with(html, 'name="visibility" value="members"')
    assert 'role="alert"' in html
    after = await Member.get(id=member.id)
    assert (after.avatar, after.languages, after.region, after.age_band, after.bio, after.locale, after.visibility) == (
        before.avatar, before.languages, before.region, before.age_band, before.bio, before.locale, before.visibility)


async def test_the_profile_pictures_have_translated_names_not_codes(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        html = (await http.get("/me")).text
    alts = re.findall(r'<img src="/static/[0-9a-f]+/avatars/[a-z]+\.svg" alt="([^"]*)"', html)
    assert "Leaf" in alts and "Mountain" in alts and "leaf" not in alts


# Signing up, in, recovery, passphrases -------------------------------------------------------------

async def test_registration_keeps_the_code_and_pseudonym_but_never_the_passphrase(app, client):
    from network.members import invitations

    _, code = await invitations.create(app.state.runtime, None)
    page = await client.get("/register")
    response = await client.post("/register", data={
        "csrf_token": csrf_from(page.text), "invite_code": code, "pseudonym": "Nuru ya Asubuhi",
        "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE + " not the same"})
    assert response.status_code == 422
    assert f'value="{code}"' in response.text and 'value="Nuru ya Asubuhi"' in response.text
    assert PASSPHRASE not in response.text
    assert "aria-invalid" in tag_with(response.text, 'name="passphrase_again"')
    assert not await Member.filter(pseudonym="Nuru ya Asubuhi").exists()


async def test_sign_in_and_recovery_keep_the_pseudonym(app, client):
    member = await make_member(app, pseudonym="Amani Tulivu")
    page = await client.get("/login")
    wrong = await client.post("/login", data={"csrf_token": csrf_from(page.text), "pseudonym": "Amani Tulivu",
                                              "passphrase": "not the passphrase at all"})
    assert wrong.status_code == 401 and 'value="Amani Tulivu"' in wrong.text
    assert "not the passphrase at all" not in wrong.text
    page = await client.get("/recover")
    refused = await client.post("/recover", data={
        "csrf_token": csrf_from(page.text), "pseudonym": "Amani Tulivu", "recovery_code": "WRONG-CODE",
        "new_passphrase": "a brand new quiet evening", "passphrase_again": "a brand new quiet evening"})
    assert refused.status_code == 401 and 'value="Amani Tulivu"' in refused.text
    assert "a brand new quiet evening" not in refused.text
    assert (await Member.get(id=member.id)).passphrase_hash == member.passphrase_hash


async def test_a_wrong_passphrase_for_new_codes_is_shown_on_that_form(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        page = await http.get("/me/passphrase")
        response = await http.post("/me/recovery-codes", data={"csrf_token": csrf_from(page.text),
                                                                "passphrase": "not my passphrase at all"})
        changed = await http.post("/me/passphrase", data={
            "csrf_token": csrf_from(page.text), "current_passphrase": "not my passphrase at all",
            "new_passphrase": "another long passphrase", "passphrase_again": "another long passphrase"})
    assert response.status_code == 422
    assert "aria-invalid" in tag_with(response.text, 'name="passphrase"')
    assert "aria-invalid" not in tag_with(response.text, 'name="current_passphrase"')
    assert changed.status_code in (422, 429) and "aria-invalid" in tag_with(changed.text, 'name="current_passphrase"')
    assert "not my passphrase at all" not in response.text + changed.text
    assert (await Member.get(id=member.id)).passphrase_hash == member.passphrase_hash


async def test_a_refused_erasure_keeps_the_choice_for_messages(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        page = await http.get("/me/erase")
        response = await http.post("/me/erase", data={"csrf_token": csrf_from(page.text), "messages": "anonymise",
                                                      "passphrase": "not my passphrase at all"})
    assert response.status_code == 422
    assert "checked" in tag_with(response.text, 'value="anonymise"')
    assert "checked" not in tag_with(response.text, 'value="delete"')
    assert await Member.filter(id=member.id).exists()


# Invitations and roles ---------------------------------------------------------------------------------

async def test_a_refused_invitation_keeps_what_the_administrator_chose(app):
    admin = await make_member(app, "admin")
    before = await Invitation.all().count()
    async with signed_in(app, admin) as http:
        page = await http.get("/invitations")
        response = await http.post("/invitations", data={"csrf_token": csrf_from(page.text), "role": "moderator",
                                                         "uses": "900", "days": "30"})
    assert response.status_code == 422
    assert "selected" in tag_with(response.text, 'value="moderator"')
    assert 'value="900"' in tag_with(response.text, 'name="uses"') and "aria-invalid" in tag_with(response.text, 'name="uses"')
    assert 'value="30"' in tag_with(response.text, 'name="days"')
    assert await Invitation.all().count() == before


async def test_every_invitations_table_header_has_text(app):
    admin = await make_member(app, "admin")
    async with signed_in(app, admin) as http:
        html = (await http.get("/invitations")).text
    headers = re.findall(r"<th>(.*?)</th>", html, flags=re.DOTALL)
    assert headers and all(re.sub(r"<[^>]+>", "", h).strip() for h in headers)
    assert '<span class="visually-hidden">Actions</span>' in html


async def test_a_refused_role_keeps_the_choice_and_the_search(app):
    admin = await make_member(app, "admin", pseudonym="Head Keeper")
    async with signed_in(app, admin) as http:
        page = await http.get("/admin/roles?q=Head")
        response = await http.post(f"/admin/roles/{admin.id}", data={"csrf_token": csrf_from(page.text),
                                                                      "role": "member", "q": "Head"})
    assert response.status_code == 409
    select = re.search(rf'<select id="r-{admin.id}".*?</select>', response.text, flags=re.DOTALL).group(0)
    assert 'value="member" selected' in select and "aria-invalid" in select
    assert 'value="Head"' in tag_with(response.text, 'id="f-q"') and 'role="alert"' in response.text
    assert (await Member.get(id=admin.id)).role == "admin"


# Stipends -------------------------------------------------------------------------------------------

async def _fund(app, admin, budget: bool = True):
    async with signed_in(app, admin) as http:
        fund = (await http.post("/api/v1/funds", json={
            "name": "Travel and data", "currency": "KES", "donor_label": "Example Foundation",
            "receipt_threshold": "500", "two_approver_threshold": "0",
            "caps": {"travel": "800", "data": "50", "time_off": "400"}})).json()["fund"]
        if budget:
            await http.post(f"/api/v1/funds/{fund['id']}/budgets", json={
                "period_start": str(TODAY.replace(day=1)), "period_end": str(TODAY + timedelta(days=31)),
                "amount": "1000"})
    return fund


async def _ask(app, member, fund, amount="40", kind="data"):
    async with signed_in(app, member) as http:
        response = await http.post("/api/v1/stipends", json={
            "fund_id": fund["id"], "kind": kind, "amount": amount, "purpose": "Data for the consultation",
            "payout_method": "mobile_money", "payout_details": "M-Pesa 0700 000 001"})
    return response.json()["stipend"]


async def test_a_refused_stipend_request_keeps_every_field(app):
    admin, member = await make_member(app, "admin"), await make_member(app)
    fund = await _fund(app, admin)
    async with signed_in(app, member) as http:
        page = await http.get("/stipends")
        response = await http.post("/stipends", data={
            "csrf_token": csrf_from(page.text), "fund_id": str(fund["id"]), "kind": "time_off", "amount": "12,5,0",
            "purpose": "Kazi ya siku moja", "link": "/consultations/3", "payout_method": "bank",
            "payout_details": "Bank ya Amani 0011"})
    assert response.status_code == 422
    html = response.text
    assert "selected" in tag_with(html, f'<option value="{fund["id"]}"'.lstrip("<"))
    assert "selected" in tag_with(html, 'value="time_off"') and "selected" in tag_with(html, 'value="bank"')
    amount = tag_with(html, 'name="amount"')
    assert 'value="12,5,0"' in amount and "aria-invalid" in amount and 'inputmode="decimal"' in amount
    assert 'value="Kazi ya siku moja"' in html and 'value="/consultations/3"' in html
    assert 'value="Bank ya Amani 0011"' in html
    assert not await Stipend.exists()


async def test_refused_review_and_payment_keep_what_the_administrator_typed(app):
    admin, member = await make_member(app, "admin"), await make_member(app)
    fund = await _fund(app, admin)
    stipend = await _ask(app, member, fund)
    async with signed_in(app, admin) as http:
        page = await http.get(f"/stipends/{stipend['id']}")
        refused = await http.post(f"/stipends/{stipend['id']}/decision", data={
            "csrf_token": csrf_from(page.text), "decision": "perhaps", "reason": "Tafadhali subiri kidogo"})
        assert refused.status_code == 422
        reason = re.search(r'<textarea id="f-reason".*?</textarea>', refused.text, flags=re.DOTALL).group(0)
        assert "Tafadhali subiri kidogo" in reason and "aria-invalid" in reason
        assert (await Stipend.get(id=stipend["id"])).status == "pending"
        await http.post(f"/api/v1/stipends/{stipend['id']}/decision", json={"decision": "approve", "reason": "Ok"})
        page = await http.get(f"/stipends/{stipend['id']}")
        long_reference = "MP-" + "9" * 120
        unpaid = await http.post(f"/stipends/{stipend['id']}/paid", data={
            "csrf_token": csrf_from(page.text), "reference": long_reference})
    assert unpaid.status_code == 422
    reference = tag_with(unpaid.text, 'name="reference"')
    assert f'value="{long_reference}"' in reference and "aria-invalid" in reference
    assert (await Stipend.get(id=stipend["id"])).status == "approved"


async def test_refused_funds_and_budgets_keep_every_field(app):
    admin = await make_member(app, "admin")
    fund = await _fund(app, admin, budget=False)
    async with signed_in(app, admin) as http:
        page = await http.get("/admin/funds")
        token = csrf_from(page.text)
        refused = await http.post("/admin/funds", data={
            "csrf_token": token, "name": "Mfuko wa Safari", "currency": "KES", "donor_label": "Wafadhili",
            "receipt_threshold": "100", "two_approver_threshold": "300", "cap_travel": "2000", "cap_data": "lots",
            "cap_time_off": ""})
        assert refused.status_code == 422
        html = refused.text
        for name, value in (("name", "Mfuko wa Safari"), ("currency", "KES"), ("donor_label", "Wafadhili"),
                            ("receipt_threshold", "100"), ("two_approver_threshold", "300"), ("cap_travel", "2000"),
                            ("cap_data", "lots")):
            assert f'value="{value}"' in tag_with(html, f'name="{name}"'), name
        assert "aria-invalid" in tag_with(html, 'name="cap_data"')
        assert "aria-invalid" not in tag_with(html, 'name="cap_travel"')
        assert await Fund.all().count() == 1
        budget = await http.post(f"/admin/funds/{fund['id']}/budgets", data={
            "csrf_token": token, "period_start": "2027-03-01", "period_end": "2027-02-01", "amount": "750"})
    assert budget.status_code == 422
    assert 'value="2027-03-01"' in tag_with(budget.text, f'id="s-{fund["id"]}"')
    end = tag_with(budget.text, f'id="e-{fund["id"]}"')
    assert 'value="2027-02-01"' in end and "aria-invalid" in end
    assert 'value="750"' in tag_with(budget.text, f'id="a-{fund["id"]}"')
    assert not await Budget.exists()


# Safety ----------------------------------------------------------------------------------------------

async def test_a_refused_second_passphrase_keeps_the_chosen_action(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        page = await http.get("/safety")
        response = await http.post("/safety/duress", data={
            "csrf_token": csrf_from(page.text), "current_passphrase": PASSPHRASE, "action": "alert",
            "passphrase": "the other long passphrase", "passphrase_again": "the other long passphrase!"})
    assert response.status_code == 422
    assert "checked" in tag_with(response.text, 'name="action" value="alert"')
    assert "checked" not in tag_with(response.text, 'name="action" value="none"')
    assert "the other long passphrase" not in response.text and PASSPHRASE not in response.text
    assert (await Member.get(id=member.id)).duress_hash is None


async def test_a_duress_alert_note_is_stored_as_its_translatable_label(app):
    from network.members.labels import SAFETY_ALERT_NOTES
    from network.safety import service
    from network.safety.models import SafetyAlert

    member = await make_member(app)
    await service.carry_out(app.state.runtime, member.id, "alert")
    alert = await SafetyAlert.get(member_id=member.id)
    assert alert.note == SAFETY_ALERT_NOTES["duress"]
    assert gettext("fr", alert.note) == gettext("fr", SAFETY_ALERT_NOTES["duress"])


# No raw codes in Arabic ---------------------------------------------------------------------------------

RAW_CODES = ("requested", "approved", "paid", "rejected", "pending", "cancelled", "first_approval", "time_off",
             "mobile_money", "cash_partner", "unsaid", "under18", "50plus", "leaf", "sun", "moon", "mountain")


def raw_codes_in(html: str) -> list[str]:
    text = visible_text(html)
    return [code for code in RAW_CODES if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)]


async def test_arabic_pages_show_no_stored_code_raw(app):
    admin, member = await make_member(app, "admin"), await make_member(app)
    fund = await _fund(app, admin)
    stipend = await _ask(app, member, fund, "40", kind="time_off")
    async with signed_in(app, admin) as http:
        await http.post(f"/api/v1/stipends/{stipend['id']}/decision", json={"decision": "approve", "reason": "Karibu"})
        await http.post(f"/api/v1/stipends/{stipend['id']}/paid", json={"reference": "MP-1"})
        http.cookies.set("lang", "ar")
        pages = {path: await http.get(path) for path in (
            f"/stipends/{stipend['id']}", "/admin/stipends", "/admin/funds", f"/admin/funds/{fund['id']}/report",
            "/invitations", "/admin/roles", "/me", "/me/sessions", "/safety")}
    async with signed_in(app, member) as http:
        http.cookies.set("lang", "ar")
        for path in ("/stipends", f"/stipends/{stipend['id']}", "/me", f"/members/{member.id}"):
            pages["member " + path] = await http.get(path)
    for path, response in pages.items():
        assert response.status_code == 200, path
        assert '<html lang="ar" dir="rtl"' in response.text, path
        assert raw_codes_in(response.text) == [], path
    report = pages[f"/admin/funds/{fund['id']}/report"].text
    label = re.search(r"<tbody><tr><td>(.*?)</td>", report).group(1)
    assert label.split(" · ")[:2] == [gettext("ar", "Time off work"), gettext("ar", "Prefer not to say")]
    assert not re.search(r"\d{4}-\d\d-\d\d", label)  # the period in the reader's own date format, not ISO
    history = pages[f"/stipends/{stipend['id']}"].text
    assert gettext("ar", "Requested") in history and gettext("ar", "Paid") in history
    assert '<bdi dir="auto">Karibu</bdi>' in history


async def test_user_content_is_marked_for_its_own_direction(app):
    admin, member = await make_member(app, "admin"), await make_member(app, pseudonym="Sauti Moja")
    async with signed_in(app, member) as http:
        page = await http.get("/me")
        sent = as_data(form_of(page.text, "/me"))
        saved = await http.post("/me", data={**sent, "bio": "Ninapenda kusoma.", "visibility": "members"})
        assert saved.status_code == 303
    async with signed_in(app, admin) as http:
        profile = (await http.get(f"/members/{member.id}")).text
        directory = (await http.get("/members")).text
        roles = (await http.get("/admin/roles?q=Sauti")).text
    assert re.search(r'<h1 dir="auto">Sauti Moja</h1>', profile)
    assert re.search(r'<p dir="auto">Ninapenda kusoma.</p>', profile)
    assert re.search(r'<a href="/members/\d+" dir="auto">Sauti Moja</a>', directory)
    assert '<td dir="auto">Sauti Moja</td>' in roles
