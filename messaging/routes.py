"""Room pages (usable without JavaScript), the WebSocket and the JSON API; rules live in service.py."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse

from messaging import events, service
from messaging.models import AGE_GROUPS, KINDS, RETENTION
from messaging.schemas import InviteIn, MessageIn, MessagePatch, RoomIn
from messaging.socket import room_socket
from network.core.access import api, page, socket
from network.core.bounds import SEQ
from network.core.forms import form_data, to_int
from network.core.i18n import NATIVE_NAMES, gettext
from network.core.i18n import lazy as _l
from network.core.refusal import STATUS_BY_KIND, Refused
from network.core.schemas import Query
from network.core.settings import LOCALES
from network.core.templating import render, request_locale
from network.organisations import service as organisations

KIND_NAMES = {"open": _l("Open to all members"), "invite": _l("By invitation"),
              "premod": _l("Every message checked first"), "support": _l("Private support")}
RETENTION_NAMES = {"keep": _l("Keep messages"), "30d": _l("Delete after 30 days"),
                   "7d": _l("Delete after 7 days"), "24h": _l("Delete after 24 hours")}
AGE_NAMES = {"adults": _l("Adults only"), "minors": _l("Under 18 only"), "all": _l("All ages")}
# The names its templates use, registered by setup().
TEMPLATE_NAMES = {"room_kind_names": KIND_NAMES, "retention_names": RETENTION_NAMES, "age_group_names": AGE_NAMES}


def rt(request: Request):
    return request.app.state.runtime


def _room_view(room, host=None) -> dict:
    return {"id": room.id, "name": room.name, "description": room.description, "language": room.language,
            "region": room.region, "kind": room.kind, "retention": room.retention,
            "slow_mode_seconds": room.slow_mode_seconds, "age_group": room.age_group,
            # The partner organisation that hosts it, if one does.
            "organisation": {"id": host.id, "name": host.name} if host is not None else None}


async def rooms_page(request: Request):
    mine, joinable = await service.rooms_for(request.state.member)
    return render(request, "messaging/rooms.html", {
        "mine": mine, "joinable": joinable, "hosts": await organisations.hosts(mine + joinable),
        "hosting_for": await organisations.representing(request.state.member)})


def _for(request: Request) -> int | None:
    """The organisation a room is opened for, on the routes that act for one."""
    return request.path_params.get("org_id")


async def _new_room(request: Request, values: dict, error=None, status_code: int = 200):
    locale, org_id = request_locale(request), _for(request)

    def options(codes, names):
        return [(code, gettext(locale, names[code])) for code in codes]

    # For an organisation: no support room and adults only (service.create_room refuses the others).
    kinds = [k for k in KINDS if k != "support"] if org_id is not None else KINDS
    ages = ("adults",) if org_id is not None else AGE_GROUPS
    return render(request, "messaging/new_room.html", {
        "values": values, "error": error, "kinds": options(kinds, KIND_NAMES),
        "retentions": options(RETENTION, RETENTION_NAMES), "ages": options(ages, AGE_NAMES),
        "locales": [(code, NATIVE_NAMES[code], code) for code in LOCALES],
        "organisation": await organisations.get(org_id) if org_id is not None else None,
        "action": f"/organisations/{org_id}/rooms/new" if org_id is not None else "/rooms/new"},
        status_code=status_code)


async def new_room_page(request: Request):
    return await _new_room(request, {})


async def new_room_submit(request: Request):
    form = await form_data(request)
    try:
        room = await service.create_room(request.state.member, form, _for(request))
    except Refused as exc:
        if exc.kind == "not_found":
            raise
        return await _new_room(request, form, exc, STATUS_BY_KIND.get(exc.kind, 422))
    return RedirectResponse(f"/rooms/{room.id}", status_code=303)


async def room_page(request: Request):
    return await _room(request, request.path_params["room_id"])


async def _room(request: Request, room_id: int, error=None, status_code=200, form_name: str = "send",
                values: dict | None = None):
    """The room as a page. `form_name` and `values`: the form a refusal came from and what was typed
    in it, shown again next to the error so nothing has to be typed twice."""
    member = request.state.member
    room = await service.enterable(member, room_id)
    before = to_int(request.query_params.get("before"), bounds=SEQ)
    after = to_int(request.query_params.get("after"), bounds=SEQ) if before is None else None
    # The cursor is read before the history: the live socket then repeats nothing the page lacks.
    cursor = room.last_seq
    more = False
    if after is not None:
        messages, more = await service.since(room, after, limit=50, viewer=member)
    else:
        messages = await service.history(room, before=before, limit=50, viewer=member)
    items = await _own_views(request, messages)
    shown = [m for m in items if m["seq"] is not None]
    if after is not None:
        older = shown[0]["seq"] if shown and await service.has_older(room, shown[0]["seq"]) else None
    else:
        older = shown[0]["seq"] if len(shown) == 50 else None
    # Without the socket, "newer" is everything after the last message shown; its anchor is that
    # message, so the reader lands where they stopped and reads on below it.
    newer = {"after": shown[-1]["seq"], "anchor": f"m{shown[-1]['id']}"} if shown else \
        {"after": cursor, "anchor": "messages"}
    # Just sent and held: the sender reads why, announced once (the message itself shows it after).
    held = [m for m in items if m["status"] == "held"] if request.query_params.get("sent") == "held" else []
    return render(request, "messaging/room.html", {
        "room": room, "host": (await organisations.hosts([room])).get(room.organisation_id), "items": items,
        "older": older, "before": before, "after": after, "more": more,
        "newer": newer, "caught_up": after is not None and not [m for m in shown if m["seq"] > after],
        "read_id": shown[0]["id"] if after is not None and shown and shown[0]["seq"] <= after else None,
        "error": error, "form_name": form_name, "values": values or {},
        "notice": request.query_params.get("sent"), "cursor": cursor,
        "held_id": held[-1]["id"] if held else None, "held_reason": held[-1]["held_reason"] if held else "",
    }, status_code=status_code)


async def join_submit(request: Request):
    room = await service.join(request.state.member, request.path_params["room_id"])
    return RedirectResponse(f"/rooms/{room.id}", status_code=303)


async def post_submit(request: Request):
    form = await form_data(request)
    room_id = request.path_params["room_id"]
    try:
        message, _ = await service.post(rt(request), request.state.member, room_id, form.get("body"),
                                        form.get("content_warning"), to_int(form.get("reply_to")),
                                        form.get("client_id"))
    except Refused as exc:
        return await _room(request, room_id, exc, STATUS_BY_KIND.get(exc.kind, 422), values=form)
    return RedirectResponse(f"/rooms/{room_id}?sent={'held' if message.status == 'held' else 'ok'}#m{message.id}",
                            status_code=303)


async def edit_submit(request: Request):
    form = await form_data(request)
    member = request.state.member
    # Not the member's (or gone): the plain error page, as before; any other refusal keeps the edit.
    message = await service.own_message(member, request.path_params["message_id"])
    try:
        message = await service.edit(rt(request), member, message.id, form.get("body"), form.get("content_warning"))
    except Refused as exc:
        if exc.kind == "not_found":
            raise
        return await _room(request, message.room_id, exc, STATUS_BY_KIND.get(exc.kind, 422), form_name="edit",
                           values={**form, "id": message.id})
    return RedirectResponse(f"/rooms/{message.room_id}#m{message.id}", status_code=303)


async def delete_submit(request: Request):
    form = await form_data(request)
    await service.delete(rt(request), request.state.member, request.path_params["message_id"])
    room_id = to_int(form.get("room_id")) or 0
    return RedirectResponse(f"/rooms/{room_id}" if room_id else "/rooms", status_code=303)


async def api_rooms(request: Request):
    mine, joinable = await service.rooms_for(request.state.member)
    hosts = await organisations.hosts(mine + joinable)
    return {"rooms": [_room_view(r, hosts.get(r.organisation_id)) for r in mine],
            "joinable": [_room_view(r, hosts.get(r.organisation_id)) for r in joinable]}


async def api_room_create(request: Request, body: RoomIn):
    room = await service.create_room(request.state.member, body.model_dump(), _for(request))
    return {"room": _room_view(room, (await organisations.hosts([room])).get(room.organisation_id))}


async def api_join(request: Request):
    room = await service.join(request.state.member, request.path_params["room_id"])
    return {"room": _room_view(room, (await organisations.hosts([room])).get(room.organisation_id))}


async def api_invite(request: Request, body: InviteIn):
    await service.invite(request.state.member, request.path_params["room_id"], body.member_id)
    return {"ok": True}


class MessagesQuery(Query):
    after: SEQ.query | None = Field(default=None, description="Messages after this sequence, oldest first.")
    before: SEQ.query | None = Field(default=None, description="Messages before this sequence (older pages).")
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class EventsQuery(Query):
    after: SEQ.query | None = Field(default=None, description="The last sequence the reader has; none: now.")


async def api_messages(request: Request, query: MessagesQuery):
    room = await service.enterable(request.state.member, request.path_params["room_id"])
    messages = await service.history(room, after=query.after, before=query.before, limit=query.limit,
                                     viewer=request.state.member)
    return {"messages": await _own_views(request, messages), "seq": room.last_seq}


async def _own_views(request: Request, messages) -> list[dict]:
    """Views, with the reason a message of the member's own is waiting, in their language."""
    items = await events.views(messages)
    locale = request_locale(request)
    for item, message in zip(items, messages):
        if message.status == "held" and message.author_id == request.state.member.id:
            item["held_reason"] = gettext(locale, message.held_reason or service.PREMODERATED)
    return items


async def api_events(request: Request, query: EventsQuery):
    """The room's log after a sequence, as a reader applies it: what the socket sends on catch-up."""
    room = await service.enterable(request.state.member, request.path_params["room_id"])
    result = await events.catch_up(room.id, room.last_seq if query.after is None else query.after)
    if result is None:
        return {"reset": True, "events": [], "seq": room.last_seq}
    frames, cursor = result
    return {"reset": False, "events": frames, "seq": cursor}


async def api_post(request: Request, body: MessageIn):
    message, created = await service.post(rt(request), request.state.member, request.path_params["room_id"],
                                          body.body, body.content_warning, body.reply_to, body.client_id)
    view = (await _own_views(request, [message]))[0]
    return JSONResponse({"message": view, "created": created}, status_code=201 if created else 200)


async def api_edit(request: Request, body: MessagePatch):
    message = await service.edit(rt(request), request.state.member, request.path_params["message_id"],
                                 body.body, body.content_warning)
    return {"message": (await _own_views(request, [message]))[0]}


async def api_delete(request: Request):
    await service.delete(rt(request), request.state.member, request.path_params["message_id"])
    return {"ok": True}


R = "/rooms/{room_id:int}"
O = "/organisations/{org_id:int}"
routes = [
    page("/rooms", rooms_page, access="member"),
    page("/rooms/new", new_room_page, access="moderator"),
    page("/rooms/new", new_room_submit, access="moderator", methods=("POST",)),
    # An organisation's representative opens rooms it hosts; moderating them stays with the network's moderators.
    page(O + "/rooms/new", new_room_page, access="member", acts_for="org_id"),
    page(O + "/rooms/new", new_room_submit, access="member", methods=("POST",), acts_for="org_id"),
    page(R, room_page, access="member"),
    # A decoy's joining stays (its own row only), so the room then reads as it does for a new member.
    page(R + "/join", join_submit, access="member", methods=("POST",), decoy="keep"),
    page(R + "/messages", post_submit, access="member", methods=("POST",)),
    page("/messages/{message_id:int}/edit", edit_submit, access="member", methods=("POST",)),
    page("/messages/{message_id:int}/delete", delete_submit, access="member", methods=("POST",)),
    socket(R + "/ws", room_socket, access="member"),
    api("/api/v1/rooms", api_rooms, access="member", method="GET", tag="rooms",
        summary="Rooms I am in, and open rooms I could join."),
    api("/api/v1/rooms", api_room_create, access="moderator", method="POST", status=201, tag="rooms", body=RoomIn,
        summary="Create a room (moderators and administrators)."),
    api("/api/v1" + O + "/rooms", api_room_create, access="member", method="POST", status=201, tag="rooms",
        body=RoomIn, acts_for="org_id", name="rooms_room_create_for_organisation",
        summary="Open a room hosted by an organisation I represent: for adults, not a support room; the network's "
                "moderators safeguard it."),
    api("/api/v1/rooms/{room_id:int}/join", api_join, access="member", method="POST", tag="rooms", decoy="keep",
        summary="Join an open room."),
    api("/api/v1/rooms/{room_id:int}/invite", api_invite, access="moderator", method="POST", tag="rooms",
        body=InviteIn, summary="Invite a member into a room."),
    api("/api/v1/rooms/{room_id:int}/messages", api_messages, access="member", method="GET", tag="rooms",
        query=MessagesQuery,
        summary="Messages in the room's event order: after a sequence, or before one (older), at most limit; "
                "on the newest page also my own messages waiting for a moderator, with the reason."),
    api("/api/v1/rooms/{room_id:int}/events", api_events, access="member", method="GET", tag="rooms",
        query=EventsQuery,
        summary="The room's log after a sequence (none: from now), as a reader applies it: each message I lack "
                "once, as it is now, and each I had that changed since; seq is the new cursor. reset: reload."),
    api("/api/v1/rooms/{room_id:int}/messages", api_post, access="member", method="POST", status=201, tag="rooms",
        body=MessageIn, also={200: "application/json"},
        summary="Post a message (201); the same client_id again stores nothing and answers the stored message "
                "with 200."),
    api("/api/v1/messages/{message_id:int}", api_edit, access="member", method="PATCH", tag="rooms",
        body=MessagePatch, summary="Edit my own message (marked edited)."),
    api("/api/v1/messages/{message_id:int}", api_delete, access="member", method="DELETE", tag="rooms",
        summary="Delete my own message."),
]
