"""Every mounted route, checked for every role: who may, who may not. A route missing here fails."""

import re

import pytest
from starlette.routing import Mount, WebSocketRoute

from network.members import sessions
from tests.helpers import make_member, new_client

ROLES = [None, "member", "moderator", "policymaker", "admin"]
WHO = {
    "public": {None, "member", "moderator", "policymaker", "admin"},
    "self": {"member", "moderator", "policymaker", "admin"},
    "member": {"member", "moderator", "policymaker", "admin"},
    # Vouching for a new member: not policymakers (their invitee would read the rooms).
    "vouch": {"member", "moderator", "admin"},
    # The library's curators: moderators and administrators.
    "curator": {"moderator", "admin"},
    "moderator": {"moderator", "admin"},
    "policymaker": {"policymaker", "admin"},
    "admin": {"admin"},
}

# (method, path) -> who may. Written by hand, apart from the code, so a change in either shows.
EXPECTED = {
    ("GET", "/"): "public",
    ("GET", "/healthz"): "public",
    ("GET", "/favicon.ico"): "public",
    ("GET", "/out"): "public",
    ("GET", "/api/openapi.json"): "public",
    ("GET", "/login"): "public",
    ("POST", "/login"): "public",
    ("POST", "/logout"): "self",
    ("GET", "/register"): "public",
    ("POST", "/register"): "public",
    ("GET", "/recover"): "public",
    ("POST", "/recover"): "public",
    ("POST", "/api/v1/auth/register"): "public",
    ("POST", "/api/v1/auth/login"): "public",
    ("POST", "/api/v1/auth/logout"): "self",
    ("POST", "/api/v1/auth/recover"): "public",
    ("GET", "/me"): "self",
    ("POST", "/me"): "self",
    ("POST", "/me/language"): "self",
    ("GET", "/me/sessions"): "self",
    ("POST", "/me/sessions/{session_id:int}/end"): "self",
    ("POST", "/me/sessions/end-others"): "self",
    ("GET", "/me/passphrase"): "self",
    ("POST", "/me/passphrase"): "self",
    ("POST", "/me/recovery-codes"): "self",
    ("GET", "/me/export"): "self",
    ("GET", "/me/erase"): "self",
    ("POST", "/me/erase"): "self",
    ("GET", "/api/v1/me"): "self",
    ("PATCH", "/api/v1/me"): "self",
    ("GET", "/api/v1/me/sessions"): "self",
    ("DELETE", "/api/v1/me/sessions/{session_id:int}"): "self",
    ("PUT", "/api/v1/me/passphrase"): "self",
    ("GET", "/api/v1/me/export"): "self",
    ("DELETE", "/api/v1/me"): "self",
    ("GET", "/invitations"): "member",
    ("POST", "/invitations"): "vouch",
    ("POST", "/invitations/{invitation_id:int}/revoke"): "member",
    ("GET", "/members"): "member",
    ("GET", "/members/{member_id:int}"): "member",
    ("GET", "/admin/roles"): "admin",
    ("POST", "/admin/roles/{member_id:int}"): "admin",
    ("POST", "/api/v1/invitations"): "vouch",
    ("GET", "/api/v1/invitations"): "member",
    ("DELETE", "/api/v1/invitations/{invitation_id:int}"): "member",
    ("GET", "/api/v1/members"): "member",
    ("GET", "/api/v1/members/{member_id:int}"): "member",
    ("PUT", "/api/v1/members/{member_id:int}/role"): "admin",
    ("GET", "/exit"): "public",
    ("GET", "/safety/quick-exit"): "public",
    ("GET", "/manifest.webmanifest"): "public",
    ("POST", "/safety/discreet"): "public",
    ("GET", "/safety"): "self",
    ("POST", "/safety/duress"): "self",
    ("POST", "/safety/duress/remove"): "self",
    ("POST", "/safety/show"): "self",
    ("GET", "/safety/wipe"): "self",
    ("POST", "/safety/wipe"): "self",
    ("PUT", "/api/v1/me/duress"): "self",
    ("DELETE", "/api/v1/me/duress"): "self",
    ("GET", "/consultations"): "member",
    ("GET", "/consultations/manage"): "policymaker",
    ("POST", "/consultations/new"): "policymaker",
    ("GET", "/consultations/review"): "moderator",
    ("POST", "/consultations/review/{answer_id:int}"): "moderator",
    ("GET", "/consultations/{consultation_id:int}"): "member",
    ("GET", "/consultations/{consultation_id:int}/sections/{position:int}"): "member",
    ("POST", "/consultations/{consultation_id:int}/consent"): "member",
    ("GET", "/consultations/{consultation_id:int}/answer"): "member",
    ("POST", "/consultations/{consultation_id:int}/answer"): "member",
    ("POST", "/consultations/{consultation_id:int}/withdraw"): "member",
    ("GET", "/consultations/{consultation_id:int}/outcome"): "member",
    ("GET", "/consultations/{consultation_id:int}/manage"): "policymaker",
    ("POST", "/consultations/{consultation_id:int}/edit"): "policymaker",
    ("POST", "/consultations/{consultation_id:int}/open"): "policymaker",
    ("POST", "/consultations/{consultation_id:int}/close"): "policymaker",
    ("POST", "/consultations/{consultation_id:int}/outcome"): "policymaker",
    ("GET", "/consultations/{consultation_id:int}/results"): "policymaker",
    ("POST", "/consultations/{consultation_id:int}/release"): "policymaker",
    ("GET", "/consultations/{consultation_id:int}/figures"): "member",
    ("POST", "/api/v1/consultations"): "policymaker",
    ("GET", "/api/v1/consultations"): "member",
    ("GET", "/api/v1/consultations/review"): "moderator",
    ("POST", "/api/v1/consultations/review/{answer_id:int}"): "moderator",
    ("GET", "/api/v1/consultations/{consultation_id:int}"): "member",
    ("PUT", "/api/v1/consultations/{consultation_id:int}"): "policymaker",
    ("POST", "/api/v1/consultations/{consultation_id:int}/open"): "policymaker",
    ("POST", "/api/v1/consultations/{consultation_id:int}/close"): "policymaker",
    ("POST", "/api/v1/consultations/{consultation_id:int}/consent"): "member",
    ("PUT", "/api/v1/consultations/{consultation_id:int}/answers"): "member",
    ("DELETE", "/api/v1/consultations/{consultation_id:int}/answers"): "member",
    ("GET", "/api/v1/consultations/{consultation_id:int}/results"): "policymaker",
    ("GET", "/api/v1/consultations/{consultation_id:int}/releases"): "policymaker",
    ("POST", "/api/v1/consultations/{consultation_id:int}/releases"): "policymaker",
    ("GET", "/api/v1/consultations/{consultation_id:int}/figures"): "member",
    ("GET", "/api/v1/consultations/{consultation_id:int}/export.csv"): "policymaker",
    ("POST", "/api/v1/consultations/{consultation_id:int}/outcome"): "policymaker",
    ("GET", "/rooms"): "member",
    ("GET", "/rooms/new"): "moderator",
    ("POST", "/rooms/new"): "moderator",
    ("GET", "/rooms/{room_id:int}"): "member",
    ("POST", "/rooms/{room_id:int}/join"): "member",
    ("POST", "/rooms/{room_id:int}/messages"): "member",
    ("POST", "/messages/{message_id:int}/edit"): "member",
    ("POST", "/messages/{message_id:int}/delete"): "member",
    ("WS", "/rooms/{room_id:int}/ws"): "member",
    ("GET", "/api/v1/rooms"): "member",
    ("POST", "/api/v1/rooms"): "moderator",
    ("POST", "/api/v1/rooms/{room_id:int}/join"): "member",
    ("POST", "/api/v1/rooms/{room_id:int}/invite"): "moderator",
    ("GET", "/api/v1/rooms/{room_id:int}/messages"): "member",
    ("GET", "/api/v1/rooms/{room_id:int}/events"): "member",
    ("POST", "/api/v1/rooms/{room_id:int}/messages"): "member",
    ("PATCH", "/api/v1/messages/{message_id:int}"): "member",
    ("DELETE", "/api/v1/messages/{message_id:int}"): "member",
    ("GET", "/moderation"): "moderator",
    ("POST", "/moderation/claim"): "moderator",
    ("POST", "/moderation/actions"): "moderator",
    ("GET", "/moderation/members/{member_id:int}"): "moderator",
    ("POST", "/moderation/notes"): "moderator",
    ("GET", "/moderation/words"): "moderator",
    ("POST", "/moderation/words"): "moderator",
    ("POST", "/moderation/words/{word_id:int}/delete"): "moderator",
    ("GET", "/moderation/log"): "moderator",
    ("GET", "/notices"): "member",
    ("POST", "/appeals"): "member",
    ("POST", "/reports"): "member",
    ("POST", "/api/v1/reports"): "member",
    ("GET", "/api/v1/moderation/queue"): "moderator",
    ("POST", "/api/v1/moderation/claim"): "moderator",
    ("POST", "/api/v1/moderation/actions"): "moderator",
    ("GET", "/api/v1/moderation/words"): "moderator",
    ("POST", "/api/v1/moderation/words"): "moderator",
    ("DELETE", "/api/v1/moderation/words/{word_id:int}"): "moderator",
    ("GET", "/api/v1/moderation/log"): "moderator",
    ("POST", "/api/v1/moderation/notes"): "moderator",
    ("GET", "/api/v1/moderation/members/{member_id:int}"): "moderator",
    ("POST", "/api/v1/appeals"): "member",
    ("GET", "/api/v1/notices"): "member",
    ("GET", "/stipends"): "member",
    ("POST", "/stipends"): "member",
    ("GET", "/stipends/{stipend_id:int}"): "member",
    ("POST", "/stipends/{stipend_id:int}/cancel"): "member",
    ("POST", "/stipends/{stipend_id:int}/decision"): "admin",
    ("POST", "/stipends/{stipend_id:int}/paid"): "admin",
    ("GET", "/admin/stipends"): "admin",
    ("GET", "/admin/funds"): "admin",
    ("POST", "/admin/funds"): "admin",
    ("POST", "/admin/funds/{fund_id:int}/budgets"): "admin",
    ("GET", "/admin/funds/{fund_id:int}/report"): "admin",
    ("POST", "/api/v1/stipends"): "member",
    ("GET", "/api/v1/stipends"): "member",
    ("POST", "/api/v1/stipends/{stipend_id:int}/decision"): "admin",
    ("POST", "/api/v1/stipends/{stipend_id:int}/paid"): "admin",
    ("POST", "/api/v1/stipends/{stipend_id:int}/cancel"): "member",
    ("POST", "/api/v1/funds"): "admin",
    ("POST", "/api/v1/funds/{fund_id:int}/budgets"): "admin",
    ("GET", "/api/v1/funds/{fund_id:int}/report"): "admin",
    ("GET", "/library"): "public",
    ("POST", "/stipends/{stipend_id:int}/stop"): "member",
    ("POST", "/api/v1/stipends/{stipend_id:int}/stop"): "member",
    ("GET", "/meetings"): "member",
    ("GET", "/meetings/new"): "moderator",
    ("POST", "/meetings/new"): "moderator",
    ("GET", "/meetings/{meeting_id:int}"): "member",
    ("POST", "/meetings/{meeting_id:int}/ask"): "member",
    ("POST", "/meetings/{meeting_id:int}/cancel"): "member",
    ("POST", "/meetings/{meeting_id:int}/held"): "moderator",
    ("POST", "/meetings/places/{place_id:int}/decision"): "moderator",
    ("POST", "/meetings/places/{place_id:int}/attended"): "moderator",
    ("GET", "/api/v1/meetings"): "member",
    ("POST", "/api/v1/meetings"): "moderator",
    ("GET", "/api/v1/meetings/{meeting_id:int}"): "member",
    ("POST", "/api/v1/meetings/{meeting_id:int}/places"): "member",
    ("DELETE", "/api/v1/meetings/{meeting_id:int}/places"): "member",
    ("POST", "/api/v1/meetings/{meeting_id:int}/held"): "moderator",
    ("POST", "/api/v1/meetings/places/{place_id:int}/decision"): "moderator",
    ("POST", "/api/v1/meetings/places/{place_id:int}/attended"): "moderator",
    ("POST", "/stipends/{stipend_id:int}/complete"): "member",
    ("POST", "/api/v1/stipends/{stipend_id:int}/complete"): "member",
    ("GET", "/commitments"): "public",
    ("GET", "/consultations/{consultation_id:int}/commitments"): "member",
    ("POST", "/consultations/{consultation_id:int}/commitments"): "policymaker",
    ("POST", "/commitments/{commitment_id:int}/updates"): "policymaker",
    ("POST", "/consultations/{consultation_id:int}/follow"): "member",
    ("GET", "/api/v1/commitments"): "public",
    ("GET", "/api/v1/consultations/{consultation_id:int}/commitments"): "member",
    ("POST", "/api/v1/consultations/{consultation_id:int}/commitments"): "policymaker",
    ("POST", "/api/v1/commitments/{commitment_id:int}/updates"): "policymaker",
    ("PUT", "/api/v1/consultations/{consultation_id:int}/follow"): "member",
    ("GET", "/proposals"): "member",
    ("POST", "/proposals"): "member",
    ("GET", "/proposals/{proposal_id:int}"): "member",
    ("POST", "/proposals/{proposal_id:int}/support"): "member",
    ("POST", "/proposals/{proposal_id:int}/review"): "moderator",
    ("POST", "/proposals/{proposal_id:int}/answer"): "policymaker",
    ("GET", "/api/v1/proposals"): "member",
    ("POST", "/api/v1/proposals"): "member",
    ("GET", "/api/v1/proposals/review"): "moderator",
    ("PUT", "/api/v1/proposals/{proposal_id:int}/support"): "member",
    ("POST", "/api/v1/proposals/{proposal_id:int}/review"): "moderator",
    ("POST", "/api/v1/proposals/{proposal_id:int}/answer"): "policymaker",
    ("GET", "/heard"): "policymaker",
    ("GET", "/heard.csv"): "policymaker",
    ("GET", "/api/v1/heard"): "policymaker",
    ("GET", "/organisations"): "member",
    ("GET", "/organisations/new"): "admin",
    ("POST", "/organisations/new"): "admin",
    ("GET", "/organisations/{org_id:int}"): "member",
    ("POST", "/organisations/{org_id:int}/profile"): "member",
    ("POST", "/organisations/{org_id:int}/edit"): "admin",
    ("POST", "/organisations/{org_id:int}/representatives"): "admin",
    ("POST", "/organisations/{org_id:int}/representatives/{representative_id:int}/remove"): "admin",
    ("GET", "/api/v1/organisations"): "member",
    ("POST", "/api/v1/organisations"): "admin",
    ("GET", "/api/v1/organisations/{org_id:int}"): "member",
    ("PUT", "/api/v1/organisations/{org_id:int}"): "admin",
    ("PUT", "/api/v1/organisations/{org_id:int}/profile"): "member",
    ("POST", "/api/v1/organisations/{org_id:int}/representatives"): "admin",
    ("DELETE", "/api/v1/organisations/{org_id:int}/representatives/{representative_id:int}"): "admin",
    ("GET", "/library/entries/{entry_id:int}"): "public",
    ("GET", "/library/entries/{entry_id:int}/history"): "public",
    ("GET", "/library/propose"): "member",
    ("POST", "/library/propose"): "member",
    ("GET", "/library/services"): "public",
    ("GET", "/library/services/new"): "member",
    ("POST", "/library/services/new"): "member",
    ("GET", "/library/services/{service_id:int}"): "public",
    ("POST", "/library/services/{service_id:int}/suggest"): "member",
    ("GET", "/library/commitments"): "public",
    ("GET", "/library/export.json"): "public",
    ("GET", "/library/export.csv"): "public",
    ("GET", "/library/curation"): "curator",
    ("GET", "/library/curation/entries/{entry_id:int}"): "curator",
    ("POST", "/library/curation/entries/{entry_id:int}/details"): "curator",
    ("POST", "/library/curation/entries/{entry_id:int}/texts"): "curator",
    ("POST", "/library/curation/entries/{entry_id:int}/review"): "curator",
    ("GET", "/library/curation/services/new"): "curator",
    ("POST", "/library/curation/services/new"): "curator",
    ("GET", "/library/curation/services/{service_id:int}"): "curator",
    ("POST", "/library/curation/services/{service_id:int}"): "curator",
    ("POST", "/library/curation/services/{service_id:int}/verified"): "curator",
    ("POST", "/library/curation/suggestions/{suggestion_id:int}"): "curator",
    ("GET", "/library/curation/commitments/new"): "curator",
    ("POST", "/library/curation/commitments/new"): "curator",
    ("GET", "/library/curation/commitments/{commitment_id:int}"): "curator",
    ("POST", "/library/curation/commitments/{commitment_id:int}"): "curator",
    ("POST", "/library/curation/import"): "curator",
    ("GET", "/library/curation/log"): "curator",
    ("GET", "/api/v1/library/search"): "public",
    ("POST", "/api/v1/library/entries"): "member",
    ("GET", "/api/v1/library/entries/{entry_id:int}"): "public",
    ("PUT", "/api/v1/library/entries/{entry_id:int}"): "curator",
    ("GET", "/api/v1/library/entries/{entry_id:int}/history"): "public",
    ("POST", "/api/v1/library/entries/{entry_id:int}/texts"): "curator",
    ("POST", "/api/v1/library/entries/{entry_id:int}/submit"): "curator",
    ("POST", "/api/v1/library/entries/{entry_id:int}/publish"): "curator",
    ("POST", "/api/v1/library/entries/{entry_id:int}/return"): "curator",
    ("POST", "/api/v1/library/entries/{entry_id:int}/archive"): "curator",
    ("GET", "/api/v1/library/curation"): "curator",
    ("GET", "/api/v1/library/services"): "public",
    ("POST", "/api/v1/library/services"): "curator",
    ("GET", "/api/v1/library/services/{service_id:int}"): "public",
    ("PUT", "/api/v1/library/services/{service_id:int}"): "curator",
    ("POST", "/api/v1/library/services/{service_id:int}/verified"): "curator",
    ("POST", "/api/v1/library/suggestions"): "member",
    ("POST", "/api/v1/library/services/{service_id:int}/suggestions"): "member",
    ("POST", "/api/v1/library/suggestions/{suggestion_id:int}/decision"): "curator",
    ("GET", "/api/v1/library/commitments"): "public",
    ("POST", "/api/v1/library/commitments"): "curator",
    ("PUT", "/api/v1/library/commitments/{commitment_id:int}"): "curator",
    ("GET", "/api/v1/library/export"): "public",
    ("POST", "/api/v1/library/import"): "curator",
    ("GET", "/api/v1/library/log"): "curator",
}

# Routes that act for a partner organisation: only its own representatives pass (the path parameter
# named here holds its id), whatever their role. tests/test_organisations.py walks each of them.
ACTS_FOR = {
    ("POST", "/organisations/{org_id:int}/profile"): "org_id",
    ("PUT", "/api/v1/organisations/{org_id:int}/profile"): "org_id",
}


def mounted(app):
    for route in app.routes:
        if isinstance(route, Mount) or isinstance(route, WebSocketRoute):
            continue
        for method in sorted(route.methods - {"HEAD"}):
            yield method, route.path, route


def test_every_route_is_in_the_table_and_declares_its_access(app):
    found = {(method, path): route for method, path, route in mounted(app)}
    found.update({("WS", r.path): r for r in app.routes if isinstance(r, WebSocketRoute)})
    assert set(found) - set(EXPECTED) == set(), "routes missing from EXPECTED"
    assert set(EXPECTED) - set(found) == set(), "EXPECTED names routes that are gone"
    for key, route in found.items():
        assert getattr(route.endpoint, "access", None) == EXPECTED[key], key
        assert getattr(route.endpoint, "acts_for", None) == ACTS_FOR.get(key), key


def _denied(response, path) -> bool:
    if response.status_code == 403:
        return True
    if response.status_code == 303 and response.headers["location"].startswith("/login?next="):
        return True
    return response.status_code == 401 and path.startswith("/api/") and \
        response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
async def test_route_by_role_matrix(app, role):
    problems = []
    for method, path, route in mounted(app):
        # A fresh account each time: some allowed requests (panic wipe) end the account.
        member = await make_member(app, role) if role else None
        url = re.sub(r"{\w+(:\w+)?}", "999999", path)
        async with new_client(app) as http:
            headers = {}
            if member is not None:
                token, session = await sessions.start(member, None)
                http.cookies.set("survnet", token)
                headers["x-csrf-token"] = session.csrf_token
                csrf = session.csrf_token
            else:
                await http.get("/login")
                csrf = http.cookies.get("csrf")
                headers["x-csrf-token"] = csrf or ""
            data = {"csrf_token": csrf} if method != "GET" and not path.startswith("/api/") else None
            response = await http.request(method, url, headers=headers, data=data)
        # Number 999999 is nobody's organisation: a route acting for one lets no role in by itself.
        should = role in WHO[EXPECTED[(method, path)]] and (method, path) not in ACTS_FOR
        if response.status_code >= 500:
            problems.append(f"{method} {path}: {response.status_code}")
        elif should and _denied(response, path):
            problems.append(f"{method} {path}: {role} refused ({response.status_code})")
        elif not should and not _denied(response, path):
            problems.append(f"{method} {path}: {role} let in ({response.status_code})")
    assert not problems, "\n".join(problems)
