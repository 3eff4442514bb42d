"""Invitations, the member directory, profiles of others, and roles (pages and API)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse

from network.core.access import api, page
from network.core.bounds import POSITION
from network.core.forms import form_data, to_int
from network.core.refusal import STATUS_BY_KIND, Refused
from network.core.schemas import Query
from network.core.templating import render, request_locale
from network.members import accounts, invitations, profiles
from network.members.models import ROLES, Member
from network.members.routes.account import rt
from network.members.schemas import InvitationBody, RoleBody


def _invitation_view(invitation) -> dict:
    return {"id": invitation.id, "role": invitation.role, "uses": invitation.uses,
            "max_uses": invitation.max_uses, "expires_at": invitation.expires_at.isoformat(),
            "status": invitations.status(invitation)}


async def _invitations_context(request: Request, **extra) -> dict:
    member = request.state.member
    items = await invitations.listing(member)
    left = None if member.role == "admin" else await invitations.vouches_left(rt(request), member)
    return {"items": items, "status_of": invitations.status, "vouches_left": left, "roles": ROLES,
            "code": None, "error": None, "values": {"role": "member", "uses": "1", "days": "7"}, **extra}


async def invitations_page(request: Request):
    return render(request, "members/invitations.html", await _invitations_context(request))


async def invitations_submit(request: Request):
    form = await form_data(request)
    try:
        invitation, code = await invitations.create(
            rt(request), request.state.member, form.get("role", "member"),
            to_int(form.get("uses"), 0), to_int(form.get("days"), 0))
    except Refused as exc:
        values = {name: form.get(name, "") for name in ("role", "uses", "days")}
        return render(request, "members/invitations.html", await _invitations_context(request, error=exc, values=values),
                      status_code=STATUS_BY_KIND[exc.kind])
    return render(request, "members/invitations.html", await _invitations_context(request, code=code, created=invitation),
                  status_code=201, headers={"cache-control": "no-store"})


async def invitation_revoke(request: Request):
    await invitations.revoke(request.state.member, request.path_params["invitation_id"])
    return RedirectResponse("/invitations", status_code=303)


async def directory_page(request: Request):
    page_number = max(1, to_int(request.query_params.get("page"), 1))
    people = await profiles.directory(limit=51, offset=(page_number - 1) * 50, viewer=request.state.member)
    return render(request, "members/directory.html", {"people": people[:50], "page": page_number,
                                              "more": len(people) > 50,
                                              "regions": profiles.region_names(request_locale(request)),
                                              "spoken": profiles.language_names(request_locale(request))})


async def _visible_member(request: Request) -> Member:
    return await profiles.visible(rt(request), request.state.member, request.path_params["member_id"])


async def member_page(request: Request):
    member = await _visible_member(request)
    viewer = request.state.member
    inviter = await profiles.inviter_for_moderators(viewer, member)
    return render(request, "members/member.html", {"person": member, "inviter": inviter,
                                           "regions": profiles.region_names(request_locale(request)),
                                           "spoken": profiles.language_names(request_locale(request))})


async def roles_page(request: Request, query: str | None = None, error=None, chosen: dict | None = None,
                     status_code: int = 200):
    query = (request.query_params.get("q", "") if query is None else query)[:64].strip()
    people = await accounts.search(query)
    return render(request, "members/roles.html", {"people": people, "roles": ROLES, "q": query, "error": error,
                                                  "chosen": chosen or {}}, status_code=status_code)


async def role_submit(request: Request):
    form = await form_data(request)
    member_id, query = request.path_params["member_id"], form.get("q", "")
    try:
        await accounts.set_role(rt(request), member_id, form.get("role", ""), request.state.member)
    except Refused as exc:
        # The same search again, with the role that was chosen still chosen beside the error.
        return await roles_page(request, query, exc, {member_id: form.get("role", "")}, STATUS_BY_KIND[exc.kind])
    return RedirectResponse("/admin/roles" + (f"?{urlencode({'q': query})}" if query else ""), status_code=303)


# JSON API ------------------------------------------------------------------------------------

async def api_invitation_create(request: Request, body: InvitationBody):
    invitation, code = await invitations.create(rt(request), request.state.member, body.role, body.uses, body.days)
    return {"invitation": _invitation_view(invitation), "code": code}


async def api_invitations(request: Request):
    return {"invitations": [_invitation_view(i) for i in await invitations.listing(request.state.member)]}


async def api_invitation_revoke(request: Request):
    invitation = await invitations.revoke(request.state.member, request.path_params["invitation_id"])
    return {"invitation": _invitation_view(invitation)}


class DirectoryQuery(Query):
    offset: POSITION.query = 0


async def api_directory(request: Request, query: DirectoryQuery):
    return {"members": [profiles.public_view(m) for m in await profiles.directory(
        offset=query.offset, viewer=request.state.member)]}


async def api_member(request: Request):
    return {"member": profiles.public_view(await _visible_member(request))}


async def api_role(request: Request, body: RoleBody):
    member = await accounts.set_role(rt(request), request.path_params["member_id"], body.role, request.state.member)
    return {"member": {"id": member.id, "role": member.role}}


routes = [
    page("/invitations", invitations_page, access="member"),
    # Vouching needs its own level: a policymaker sees the invitations they made, and makes none.
    page("/invitations", invitations_submit, access="vouch", methods=("POST",)),
    page("/invitations/{invitation_id:int}/revoke", invitation_revoke, access="member", methods=("POST",)),
    page("/members", directory_page, access="member"),
    page("/members/{member_id:int}", member_page, access="member"),
    page("/admin/roles", roles_page, access="admin"),
    page("/admin/roles/{member_id:int}", role_submit, access="admin", methods=("POST",)),
    api("/api/v1/invitations", api_invitation_create, access="vouch", method="POST", status=201,
        tag="invitations", body=InvitationBody,
        summary="Create an invitation. Administrators: any role and uses; members: one-use member invitations, "
                "a few a month. The code is shown only in this answer."),
    api("/api/v1/invitations", api_invitations, access="member", method="GET", tag="invitations",
        summary="Invitations I made (all of them for administrators)."),
    api("/api/v1/invitations/{invitation_id:int}", api_invitation_revoke, access="member", method="DELETE",
        tag="invitations", summary="Revoke an invitation."),
    api("/api/v1/members", api_directory, access="member", method="GET", tag="members", query=DirectoryQuery,
        summary="The member directory: only members who chose to be seen by all members."),
    api("/api/v1/members/{member_id:int}", api_member, access="member", method="GET", tag="members",
        summary="A member's profile, when they let me see it."),
    api("/api/v1/members/{member_id:int}/role", api_role, access="admin", method="PUT", tag="members",
        body=RoleBody, summary="Assign a member's role."),
]
