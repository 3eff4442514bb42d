"""My account: profile, sessions, passphrase, recovery codes, export and erasure (pages and API)."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from network.core.access import api, page
from network.core.forms import form_data, form_list
from network.core.i18n import lazy as _l
from network.core.refusal import STATUS_BY_KIND, Refused
from network.core.settings import LOCALES
from network.core.templating import render, request_locale
from network.members import accounts, labels, mydata, profiles, sessions, vault
from network.members.auth import clear_session_cookie
from network.members.models import AGE_BANDS, DIMENSIONS
from network.members.routes.account import CLEAR_SITE_DATA, rt
from network.members.schemas import EraseBody, PassphraseBody, ProfilePatch


def _profile_context(request: Request, values: dict | None = None) -> dict:
    locale = request_locale(request)
    member = request.state.member
    if values is None:
        # A member who never chose reads in the cookie's or browser's language: that is the one
        # selected, so saving the profile keeps it rather than switching to the first one listed.
        values = {"avatar": member.avatar, "languages": member.languages or [], "region": member.region or "unsaid",
                  "age_band": member.age_band, "bio": member.bio, "locale": member.locale or locale,
                  "visibility": member.visibility, "time_zone": member.time_zone, **profiles.counted_as(member)}
    return {
        "dimensions": [(name, labels.DIMENSION_LABELS[name], list(labels.DIMENSION_VALUE_LABELS[name].items()))
                       for name in DIMENSIONS],
        "avatars": [(a, labels.AVATAR_LABELS[a]) for a in profiles.AVATARS], "regions": profiles.region_names(locale),
        "spoken": profiles.language_names(locale), "age_bands": [(b, labels.AGE_BAND_LABELS[b]) for b in AGE_BANDS],
        "visibilities": list(labels.VISIBILITY_LABELS.items()), "locales": LOCALES, "values": values,
    }


async def profile_page(request: Request):
    saved = request.query_params.get("saved") == "1"
    return render(request, "members/profile.html", {**_profile_context(request), "saved": saved, "error": None})


async def profile_submit(request: Request):
    form = await form_data(request)
    changes = {name: form.get(name, "") for name in ("avatar", "region", "age_band", "bio", "visibility",
                                                         "time_zone", *DIMENSIONS)}
    changes["locale"] = form.get("locale") or None
    changes["languages"] = await form_list(request, "languages")
    try:
        await profiles.update(request.state.member, changes)
    except Refused as exc:
        # What was typed and chosen comes back as it was sent, so nothing has to be done again.
        return render(request, "members/profile.html",
                      {**_profile_context(request, {**changes, "locale": changes["locale"] or request_locale(request)}),
                       "saved": False, "error": exc}, status_code=STATUS_BY_KIND[exc.kind])
    # The saved language applies at once, so the next page is in it.
    return RedirectResponse("/me?saved=1", status_code=303)


async def language_submit(request: Request):
    """The switcher for signed-in members: a saved choice, so it follows them to every device."""
    from network.core.forms import safe_next

    form = await form_data(request)
    await profiles.update(request.state.member, {"locale": form.get("locale") or None})
    return RedirectResponse(safe_next(form.get("next")), status_code=303)


async def sessions_page(request: Request):
    items = await sessions.listing(request.state.member)
    return render(request, "members/sessions.html", {"items": items, "current": request.state.session.id})


async def session_end(request: Request):
    await sessions.end(rt(request), request.state.member, request.path_params["session_id"])
    return RedirectResponse("/me/sessions", status_code=303)


async def sessions_end_others(request: Request):
    await sessions.end_others(rt(request), request.state.member, request.state.session.id)
    return RedirectResponse("/me/sessions", status_code=303)


async def passphrase_page(request: Request):
    left = await accounts.remaining_recovery_codes(request.state.member)
    return render(request, "members/passphrase.html", {"error": None, "codes_error": None,
                                                       "done": request.query_params.get("done"), "codes_left": left})


async def passphrase_submit(request: Request):
    form = await form_data(request)
    try:
        if form.get("new_passphrase", "") != form.get("passphrase_again", ""):
            raise Refused("mismatch", accounts.PASSPHRASES_DIFFER, field="passphrase_again")
        await accounts.change_passphrase(rt(request), request.state.member, form.get("current_passphrase", ""),
                                         form.get("new_passphrase", ""), request.state.session.id)
    except Refused as exc:
        left = await accounts.remaining_recovery_codes(request.state.member)
        return render(request, "members/passphrase.html", {"error": exc, "codes_error": None, "done": None,
                                                           "codes_left": left}, status_code=STATUS_BY_KIND[exc.kind])
    return RedirectResponse("/me/passphrase?done=1", status_code=303)


async def recovery_codes_submit(request: Request):
    form = await form_data(request)
    member = request.state.member
    try:
        codes = await accounts.new_recovery_codes(rt(request), member, form.get("passphrase", ""))
    except Refused as error:
        left = await accounts.remaining_recovery_codes(member)
        # Shown beside the form it is about, not the passphrase change above it.
        return render(request, "members/passphrase.html", {"error": None, "codes_error": error, "done": None,
                                                           "codes_left": left}, status_code=STATUS_BY_KIND[error.kind])
    return render(request, "members/recovery_codes.html", {"codes": codes, "first_time": False},
                  headers={"cache-control": "no-store"})


def _download(data: dict) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return Response(body, media_type="application/json", headers={
        "content-disposition": 'attachment; filename="my-data.json"', "cache-control": "no-store"})


async def export_download(request: Request):
    return _download(await mydata.export(rt(request), request.state.member, vault.of_request(request)))


async def erase_page(request: Request):
    return render(request, "members/erase.html", {"error": None, "values": {"messages": "delete"}})


async def erase_submit(request: Request):
    form = await form_data(request)
    try:
        await mydata.erase(rt(request), request.state.member, form.get("passphrase", ""),
                           form.get("messages", "delete"), key=vault.of_request(request))
    except Refused as exc:
        return render(request, "members/erase.html", {"error": exc, "values": {"messages": form.get("messages", "")}},
                      status_code=STATUS_BY_KIND[exc.kind])
    response = RedirectResponse("/?erased=1", status_code=303)
    clear_session_cookie(response, rt(request).settings)
    response.headers["clear-site-data"] = CLEAR_SITE_DATA
    return response


# JSON API ------------------------------------------------------------------------------------

async def api_me(request: Request):
    return {"member": profiles.own_view(request.state.member), "csrf_token": request.state.csrf_token}


async def api_me_patch(request: Request, body: ProfilePatch):
    member = await profiles.update(request.state.member, body.model_dump(exclude_unset=True))
    return {"member": profiles.own_view(member)}


async def api_sessions(request: Request):
    current = request.state.session.id
    return {"sessions": [
        {"id": s.id, "device": s.device, "last_active": s.last_seen_at.date().isoformat(), "current": s.id == current}
        for s in await sessions.listing(request.state.member)]}


async def api_session_delete(request: Request):
    if not await sessions.end(rt(request), request.state.member, request.path_params["session_id"]):
        raise Refused("not_found", _l("That session was not found."), kind="not_found")
    return {"ok": True}


async def api_passphrase(request: Request, body: PassphraseBody):
    await accounts.change_passphrase(rt(request), request.state.member, body.current_passphrase,
                                     body.new_passphrase, request.state.session.id)
    return {"ok": True}


async def api_export(request: Request):
    return _download(await mydata.export(rt(request), request.state.member, vault.of_request(request)))


async def api_erase(request: Request, body: EraseBody):
    await mydata.erase(rt(request), request.state.member, body.passphrase, body.messages, key=vault.of_request(request))
    response = JSONResponse({"ok": True})
    clear_session_cookie(response, rt(request).settings)
    response.headers["clear-site-data"] = CLEAR_SITE_DATA
    return response


routes = [
    page("/me", profile_page, access="self"),
    page("/me", profile_submit, access="self", methods=("POST",)),
    page("/me/language", language_submit, access="self", methods=("POST",)),
    page("/me/sessions", sessions_page, access="self"),
    page("/me/sessions/{session_id:int}/end", session_end, access="self", methods=("POST",)),
    page("/me/sessions/end-others", sessions_end_others, access="self", methods=("POST",)),
    page("/me/passphrase", passphrase_page, access="self"),
    page("/me/passphrase", passphrase_submit, access="self", methods=("POST",)),
    page("/me/recovery-codes", recovery_codes_submit, access="self", methods=("POST",)),
    page("/me/export", export_download, access="self"),
    page("/me/erase", erase_page, access="self"),
    page("/me/erase", erase_submit, access="self", methods=("POST",)),
    api("/api/v1/me", api_me, access="self", method="GET", tag="me",
        summary="My profile and the csrf_token for state-changing calls."),
    api("/api/v1/me", api_me_patch, access="self", method="PATCH", tag="me", body=ProfilePatch,
        summary="Change my profile; only the fields sent change."),
    api("/api/v1/me/sessions", api_sessions, access="self", method="GET", tag="me",
        summary="My sessions: a coarse device label and the last active day."),
    api("/api/v1/me/sessions/{session_id:int}", api_session_delete, access="self", method="DELETE", tag="me",
        summary="End one of my sessions."),
    api("/api/v1/me/passphrase", api_passphrase, access="self", method="PUT", tag="me", body=PassphraseBody,
        summary="Change my passphrase; my other sessions end."),
    api("/api/v1/me/export", api_export, access="self", method="GET", tag="me",
        summary="Everything the platform holds about me, as a JSON download."),
    api("/api/v1/me", api_erase, access="self", method="DELETE", tag="me", body=EraseBody,
        summary="Erase my account (passphrase asked again); my messages are deleted or anonymised."),
]
