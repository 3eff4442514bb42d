"""Safety pages: quick exit, discreet mode, the duress passphrase, hiding, panic wipe (and API)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse

from network.core.access import api, page
from network.core.assets import asset
from network.core.forms import form_data, safe_next
from network.core.i18n import lazy as _l
from network.core.refusal import STATUS_BY_KIND, Refused
from network.core.templating import is_discreet, render, translator
from network.members import accounts, sessions, vault
from network.members.auth import clear_session_cookie, set_discreet_cookie
from network.members.models import DURESS_ACTIONS
from network.members.routes.account import CLEAR_SITE_DATA, rt
from network.safety import service as safety
from network.safety.schemas import DuressBody

DURESS_LABELS = {
    "none": _l("Only open the empty account"),
    "hide": _l("Also hide my account and sign me out everywhere else"),
    "erase": _l("Also erase my account"),
    "alert": _l("Also alert the moderators privately"),
}


def _leave(request: Request) -> RedirectResponse:
    """Off to the neutral site, leaving nothing of this one in the browser."""
    response = RedirectResponse(rt(request).settings.quick_exit_url, status_code=303)
    clear_session_cookie(response, rt(request).settings)
    response.headers["clear-site-data"] = CLEAR_SITE_DATA
    response.headers["cache-control"] = "no-store"
    return response


async def quick_exit(request: Request):
    if request.state.session is not None:
        await sessions.finish(rt(request), request.state.session)
    return _leave(request)


async def quick_exit_help(request: Request):
    return render(request, "safety/quick_exit_help.html")


def _safety_context(request: Request, **extra) -> dict:
    member = request.state.member
    return {"duress_labels": [(a, DURESS_LABELS[a]) for a in DURESS_ACTIONS], "error": None,
            "has_duress": bool(member.duress_hash), "notice": request.query_params.get("done"),
            "values": {"action": member.duress_action}, **extra}


async def safety_page(request: Request):
    return render(request, "safety/safety.html", _safety_context(request))


async def discreet_submit(request: Request):
    form = await form_data(request)
    on = form.get("on") == "1"
    if request.state.member is not None:
        await safety.set_discreet(request.state.member, on)
    response = RedirectResponse(safe_next(form.get("next"), "/"), status_code=303)
    set_discreet_cookie(response, rt(request).settings, on)
    return response


async def duress_submit(request: Request):
    form = await form_data(request)
    try:
        if form.get("passphrase", "") != form.get("passphrase_again", ""):
            raise Refused("mismatch", accounts.PASSPHRASES_DIFFER, field="passphrase_again")
        await safety.set_duress(rt(request), request.state.member, form.get("passphrase", ""),
                                form.get("action", ""), vault.of_request(request),
                                current=form.get("current_passphrase", ""))
    except Refused as exc:
        # The action chosen stays chosen; the passphrases are typed again, as everywhere.
        return render(request, "safety/safety.html",
                      _safety_context(request, error=exc, values={"action": form.get("action", "")}),
                      status_code=STATUS_BY_KIND[exc.kind])
    return RedirectResponse("/safety?done=duress", status_code=303)


async def duress_remove(request: Request):
    await safety.clear_duress(request.state.member)
    return RedirectResponse("/safety?done=duress-removed", status_code=303)


async def show_again(request: Request):
    await safety.show_again(request.state.member)
    return RedirectResponse("/safety?done=shown", status_code=303)


async def wipe_page(request: Request):
    return render(request, "safety/wipe.html")


async def wipe_submit(request: Request):
    await safety.panic_wipe(rt(request), request.state.member, vault.of_request(request))
    return _leave(request)


async def manifest(request: Request):
    """The installed web app's name: neutral in discreet mode."""
    _ = translator(request)
    discreet = is_discreet(request)
    name = _("Notes") if discreet else _("Survivors' Network")
    icon = asset("icons/notes.svg" if discreet else "icons/favicon.svg")
    start = rt(request).settings.discreet_path + "/" if discreet else "/"
    return JSONResponse({"name": name, "short_name": name, "start_url": start, "display": "standalone",
                         "background_color": "#f6f4ef", "theme_color": "#f6f4ef",
                         "icons": [{"src": icon, "sizes": "any", "type": "image/svg+xml"}]},
                        media_type="application/manifest+json")


async def api_duress_set(request: Request, body: DuressBody):
    await safety.set_duress(rt(request), request.state.member, body.passphrase, body.action, vault.of_request(request),
                            current=body.current_passphrase)
    return {"ok": True, "action": body.action}


async def api_duress_clear(request: Request):
    await safety.clear_duress(request.state.member)
    return {"ok": True}


routes = [
    page("/exit", quick_exit, access="public"),
    page("/safety/quick-exit", quick_exit_help, access="public"),
    page("/manifest.webmanifest", manifest, access="public"),
    page("/safety/discreet", discreet_submit, access="public", methods=("POST",)),
    page("/safety", safety_page, access="self"),
    page("/safety/duress", duress_submit, access="self", methods=("POST",)),
    page("/safety/duress/remove", duress_remove, access="self", methods=("POST",)),
    page("/safety/show", show_again, access="self", methods=("POST",)),
    page("/safety/wipe", wipe_page, access="self"),
    page("/safety/wipe", wipe_submit, access="self", methods=("POST",)),
    api("/api/v1/me/duress", api_duress_set, access="self", method="PUT", tag="safety", body=DuressBody,
        summary="Set a second passphrase that opens an empty decoy account and does the chosen action: "
                "none, hide, erase or alert. The current passphrase is asked first."),
    api("/api/v1/me/duress", api_duress_clear, access="self", method="DELETE", tag="safety",
        summary="Remove the second passphrase."),
]
