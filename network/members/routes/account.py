"""Signing up, in and out, and recovery: pages and the JSON API (thin; rules live in network.members.accounts)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from tortoise.transactions import in_transaction

from network.core.access import api, page
from network.core.forms import form_data, safe_next
from network.core.refusal import STATUS_BY_KIND, Refused
from network.core.templating import render
from network.members import accounts, sessions
from network.members.auth import (
    clear_session_cookie,
    device_cookie,
    set_device_cookie,
    set_discreet_cookie,
    set_session_cookie,
)
from network.members.profiles import own_view
from network.members.schemas import LoginBody, RecoverBody, RegisterBody

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'
# Signing out keeps the device's own choices (language, discreet mode) and its CSRF cookie:
# clearing cookies races with the next page's new ones in Chromium.
CLEAR_ON_LOGOUT = '"cache", "storage"'


def rt(request: Request):
    return request.app.state.runtime


async def _new_session(request: Request, member, duress: bool = False):
    """A new session (never a reused id) for this member; any session this browser had ends.

    After a duress passphrase the session opens a decoy account instead, and the member's
    chosen action runs once the answer has gone, so the answer looks and takes the same."""
    if request.state.session is not None:
        await sessions.finish(rt(request), request.state.session)
    # One commit whichever the path, so a duress sign-in (which also writes the decoy) takes no longer.
    async with in_transaction():
        if duress:
            member = await rt(request).registry.duress_login(rt(request), member)
        token, session = await sessions.start(member, request.headers.get("user-agent"))
    request.state.member = member
    request.state.csrf_token = session.csrf_token
    return token, session


def _set_cookies(request: Request, response, token: str, device: str) -> None:
    """The session cookie, the device cookie (network.members.throttle), and discreet mode on this
    device when the member chose it."""
    set_session_cookie(response, rt(request).settings, token)
    set_device_cookie(response, rt(request).settings, device)
    if request.state.member.discreet:
        set_discreet_cookie(response, rt(request).settings, True)


async def _sign_in(request: Request, member, response, duress: bool = False):
    # Made for the real member's pseudonym before a duress sign-in swaps in the decoy, so both look the same.
    device = accounts.device_cookie_for(rt(request), member)
    token, session = await _new_session(request, member, duress)
    _set_cookies(request, response, token, device)
    return session


def _form_error(request: Request, template: str, exc: Refused, values: dict):
    return render(request, template, {"error": exc, "values": values},
                  status_code=STATUS_BY_KIND.get(exc.kind, 422))


# Pages ---------------------------------------------------------------------------------------

async def login_page(request: Request):
    return render(request, "members/login.html", {"values": {"next": safe_next(request.query_params.get("next"))}})


async def login_submit(request: Request):
    form = await form_data(request)
    values = {"pseudonym": form.get("pseudonym", ""), "next": safe_next(form.get("next"))}
    try:
        member, duress = await accounts.authenticate(rt(request), form.get("pseudonym", ""),
                                                     form.get("passphrase", ""), request.state.client_key,
                                                     device_cookie(request))
    except Refused as exc:
        return _form_error(request, "members/login.html", exc, values)
    response = RedirectResponse(values["next"], status_code=303)
    await _sign_in(request, member, response, duress)
    return response


async def logout_submit(request: Request):
    if request.state.session is not None:
        await sessions.finish(rt(request), request.state.session)
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response, rt(request).settings)
    response.headers["clear-site-data"] = CLEAR_ON_LOGOUT
    return response


async def register_page(request: Request):
    return render(request, "members/register.html", {"values": {"invite_code": request.query_params.get("code", "")[:64]}})


async def register_submit(request: Request):
    form = await form_data(request)
    values = {"invite_code": form.get("invite_code", ""), "pseudonym": form.get("pseudonym", "")}
    try:
        if form.get("passphrase", "") != form.get("passphrase_again", ""):
            raise Refused("mismatch", accounts.PASSPHRASES_DIFFER, field="passphrase_again")
        member, codes = await accounts.register(rt(request), values["invite_code"], values["pseudonym"],
                                                form.get("passphrase", ""))
    except Refused as exc:
        return _form_error(request, "members/register.html", exc, values)
    # The codes are shown on this response only: no redirect, nothing to find again in history.
    device = accounts.device_cookie_for(rt(request), member)
    token, _ = await _new_session(request, member)
    response = render(request, "members/recovery_codes.html", {"codes": codes, "first_time": True}, status_code=201,
                      headers={"cache-control": "no-store"})
    _set_cookies(request, response, token, device)
    return response


async def recover_page(request: Request):
    return render(request, "members/recover.html", {"values": {}})


async def recover_submit(request: Request):
    form = await form_data(request)
    values = {"pseudonym": form.get("pseudonym", "")}
    try:
        if form.get("new_passphrase", "") != form.get("passphrase_again", ""):
            raise Refused("mismatch", accounts.PASSPHRASES_DIFFER, field="passphrase_again")
        await accounts.recover(rt(request), values["pseudonym"], form.get("recovery_code", ""),
                               form.get("new_passphrase", ""), request.state.client_key, device_cookie(request))
    except Refused as exc:
        return _form_error(request, "members/recover.html", exc, values)
    response = RedirectResponse("/login?recovered=1", status_code=303)
    clear_session_cookie(response, rt(request).settings)
    return response


# JSON API ------------------------------------------------------------------------------------

async def api_register(request: Request, body: RegisterBody):
    member, codes = await accounts.register(rt(request), body.invite_code, body.pseudonym, body.passphrase)
    device = accounts.device_cookie_for(rt(request), member)
    token, session = await _new_session(request, member)
    response = JSONResponse({"member": own_view(member), "csrf_token": session.csrf_token,
                             "recovery_codes": codes}, status_code=201, headers={"cache-control": "no-store"})
    _set_cookies(request, response, token, device)
    return response


async def api_login(request: Request, body: LoginBody):
    member, duress = await accounts.authenticate(rt(request), body.pseudonym, body.passphrase,
                                                 request.state.client_key, device_cookie(request))
    device = accounts.device_cookie_for(rt(request), member)
    token, session = await _new_session(request, member, duress)
    response = JSONResponse({"member": own_view(request.state.member), "csrf_token": session.csrf_token},
                            headers={"cache-control": "no-store"})
    _set_cookies(request, response, token, device)
    return response


async def api_logout(request: Request):
    await sessions.finish(rt(request), request.state.session)
    response = JSONResponse({"ok": True})
    clear_session_cookie(response, rt(request).settings)
    response.headers["clear-site-data"] = CLEAR_ON_LOGOUT
    return response


async def api_recover(request: Request, body: RecoverBody):
    await accounts.recover(rt(request), body.pseudonym, body.recovery_code, body.new_passphrase,
                           request.state.client_key, device_cookie(request))
    return {"ok": True}


MEMBER_SCHEMA = {"type": "object", "properties": {"id": {"type": "integer"}, "pseudonym": {"type": "string"},
                                                 "role": {"type": "string"}}}

routes = [
    page("/login", login_page, access="public"),
    page("/login", login_submit, access="public", methods=("POST",)),
    page("/logout", logout_submit, access="self", methods=("POST",)),
    page("/register", register_page, access="public"),
    page("/register", register_submit, access="public", methods=("POST",)),
    page("/recover", recover_page, access="public"),
    page("/recover", recover_submit, access="public", methods=("POST",)),
    api("/api/v1/auth/register", api_register, access="public", method="POST", status=201, tag="auth",
        summary="Register with an invitation code; answers the member, csrf_token and recovery_codes.",
        body=RegisterBody, response={"type": "object", "properties": {
            "member": MEMBER_SCHEMA, "csrf_token": {"type": "string"},
            "recovery_codes": {"type": "array", "items": {"type": "string"}}}}),
    api("/api/v1/auth/login", api_login, access="public", method="POST", tag="auth", body=LoginBody,
        summary="Sign in; answers the member and the csrf_token for later state-changing calls.",
        response={"type": "object", "properties": {"member": MEMBER_SCHEMA, "csrf_token": {"type": "string"}}}),
    api("/api/v1/auth/logout", api_logout, access="self", method="POST", tag="auth",
        summary="Sign out and end this session."),
    api("/api/v1/auth/recover", api_recover, access="public", method="POST", tag="auth", body=RecoverBody,
        summary="Set a new passphrase with a recovery code; every session ends."),
]
