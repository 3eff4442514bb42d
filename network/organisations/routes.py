"""Partner organisations (pages and JSON API): thin; the rules live in service.py."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse

from network.core.access import api, page
from network.core.forms import form_data, form_list, submitted
from network.core.markdown import markdown
from network.core.templating import render, request_locale
from network.members.profiles import language_names, region_names
from network.organisations import service
from network.organisations.schemas import OrganisationBody, ProfileBody, RepresentativeBody

O = "/organisations/{org_id:int}"


def _view(organisation) -> dict:
    return {"id": organisation.id, "name": organisation.name, "kind": organisation.kind,
            "country": organisation.country, "languages": organisation.languages, "profile": organisation.profile,
            "active": organisation.active}


def _names(request: Request) -> dict:
    locale = request_locale(request)
    return {"names": language_names(locale), "countries": region_names(locale)}


async def list_page(request: Request):
    member = request.state.member
    return render(request, "organisations/list.html", {
        "organisations": await (service.all_organisations() if member.role == "admin" else service.directory()),
        "mine": await service.representing(member), **_names(request)})


async def _detail(request: Request, error=None, values=None, status_code=200):
    member = request.state.member
    organisation = await service.get(request.path_params["org_id"], active_only=member.role != "admin")
    acting = await service.represents(member, organisation.id)
    registry = request.app.state.runtime.registry
    return render(request, "organisations/organisation.html", {
        "o": organisation, "profile_html": markdown(organisation.profile), "acting": acting, "admin": member.role == "admin",
        "representatives": await service.representatives(organisation) if acting or member.role == "admin" else [],
        "links": [(path.replace("{id}", str(organisation.id)), label) for path, label in registry.organisation_links],
        "error": error, "values": values or {}, **_names(request)}, status_code=status_code)


async def detail_page(request: Request):
    return await _detail(request)


async def _form(request: Request) -> tuple[dict, dict]:
    form = await form_data(request)
    return form, {**form, "languages": await form_list(request, "languages"), "active": form.get("active") == "yes"}


async def profile_submit(request: Request):
    form, data = await _form(request)
    return await submitted(lambda: service.update_profile(request.path_params["org_id"], data),
                           lambda exc, status: _detail(request, exc, form, status),
                           lambda o: f"/organisations/{o.id}?done=saved")


async def new_page(request: Request, error=None, values=None, status_code=200):
    return render(request, "organisations/new.html", {"error": error, "values": values or {}, **_names(request)},
                  status_code=status_code)


async def create_submit(request: Request):
    form, data = await _form(request)
    return await submitted(lambda: service.create(data), lambda exc, status: new_page(request, exc, form, status),
                           lambda o: f"/organisations/{o.id}")


async def edit_submit(request: Request):
    form, data = await _form(request)
    return await submitted(lambda: service.update(request.path_params["org_id"], data),
                           lambda exc, status: _detail(request, exc, form, status),
                           lambda o: f"/organisations/{o.id}?done=saved")


async def add_representative_submit(request: Request):
    form = await form_data(request)
    org_id = request.path_params["org_id"]
    return await submitted(lambda: service.add_representative(request.state.member, org_id, form.get("pseudonym")),
                           lambda exc, status: _detail(request, exc, form, status),
                           lambda r: f"/organisations/{org_id}?done=added")


async def remove_representative_submit(request: Request):
    org_id = request.path_params["org_id"]
    await service.remove_representative(org_id, request.path_params["representative_id"])
    return RedirectResponse(f"/organisations/{org_id}?done=removed", status_code=303)


# JSON API -------------------------------------------------------------------------------------

def _representative(r) -> dict:
    return {"id": r.id, "pseudonym": r.member.pseudonym}


async def api_list(request: Request):
    return {"organisations": [_view(o) for o in await service.directory()],
            "mine": [o.id for o in await service.representing(request.state.member)]}


async def api_detail(request: Request):
    member = request.state.member
    organisation = await service.get(request.path_params["org_id"], active_only=member.role != "admin")
    view = _view(organisation)
    if member.role == "admin" or await service.represents(member, organisation.id):
        view["representatives"] = [_representative(r) for r in await service.representatives(organisation)]
    return {"organisation": view}


async def api_create(request: Request, body: OrganisationBody):
    return {"organisation": _view(await service.create(body.model_dump()))}


async def api_update(request: Request, body: OrganisationBody):
    return {"organisation": _view(await service.update(request.path_params["org_id"], body.model_dump()))}


async def api_profile(request: Request, body: ProfileBody):
    return {"organisation": _view(await service.update_profile(request.path_params["org_id"], body.model_dump()))}


async def api_add_representative(request: Request, body: RepresentativeBody):
    representative = await service.add_representative(request.state.member, request.path_params["org_id"],
                                                      body.pseudonym)
    await representative.fetch_related("member")
    return {"representative": _representative(representative)}


async def api_remove_representative(request: Request):
    await service.remove_representative(request.path_params["org_id"], request.path_params["representative_id"])
    return {"removed": True}


R = O + "/representatives"
A = "/api/v1" + O

routes = [
    page("/organisations", list_page, access="member"),
    page("/organisations/new", new_page, access="admin"),
    page("/organisations/new", create_submit, access="admin", methods=("POST",)),
    page(O, detail_page, access="member"),
    page(O + "/profile", profile_submit, access="member", methods=("POST",), acts_for="org_id"),
    page(O + "/edit", edit_submit, access="admin", methods=("POST",)),
    page(R, add_representative_submit, access="admin", methods=("POST",)),
    page(R + "/{representative_id:int}/remove", remove_representative_submit, access="admin", methods=("POST",)),
    api("/api/v1/organisations", api_list, access="member", method="GET", tag="organisations",
        summary="Partner organisations, and which of them I represent."),
    api("/api/v1/organisations", api_create, access="admin", method="POST", status=201, tag="organisations",
        body=OrganisationBody, summary="Add a partner organisation."),
    api(A, api_detail, access="member", method="GET", tag="organisations",
        summary="An organisation's profile; its representatives for them and administrators."),
    api(A, api_update, access="admin", method="PUT", tag="organisations", body=OrganisationBody,
        summary="Change an organisation, or end the partnership (active false)."),
    api(A + "/profile", api_profile, access="member", method="PUT", tag="organisations", body=ProfileBody,
        acts_for="org_id", summary="Its representatives change how it describes itself and its languages."),
    api(A + "/representatives", api_add_representative, access="admin", method="POST", status=201,
        tag="organisations", body=RepresentativeBody, summary="Name a member, by pseudonym, as a representative."),
    api(A + "/representatives/{representative_id:int}", api_remove_representative, access="admin",
        method="DELETE", tag="organisations", summary="A member no longer represents the organisation."),
]
