"""Moderation pages (a moderator works from a phone too) and the JSON API; rules live in service.py."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import RedirectResponse

from messaging import service as rooms
from moderation import actions, labels, service
from moderation.models import WORD_ACTIONS, WatchedWord
from moderation.schemas import ActionIn, AppealIn, ClaimIn, NoteIn, QueueKind, ReportIn, WordIn
from network.core.access import api, page
from network.core.bounds import ID
from network.core.forms import form_data, safe_next, to_int
from network.core.i18n import NATIVE_NAMES
from network.core.i18n import lazy as _l
from network.core.refusal import STATUS_BY_KIND, Refused
from network.core.schemas import Query
from network.core.settings import LOCALES
from network.core.templating import render, request_locale
from network.members import vault

REASON_NAMES = {"self_harm": _l("Risk of harm to self"), "identity": _l("Identity exposed"),
                "harassment": _l("Harassment"), "infiltrator": _l("Suspected perpetrator or infiltrator"),
                "spam": _l("Spam"), "other": _l("Something else")}
NOTICE_NAMES = {
    "warn": _l("A moderator sent you a warning."), "mute": _l("A moderator muted you."),
    "remove": _l("A moderator removed you from a room."), "suspend": _l("Your account was suspended."),
    "hidden": _l("A moderator hid one of your messages."), "rejected": _l("A moderator did not approve one of your messages."),
    "lifted": _l("An action about you was lifted."), "appeal_upheld": _l("Your appeal was decided: the action stays."),
    "appeal_overturned": _l("Your appeal was decided: the action was reversed."),
    "report_action_taken": _l("Thank you for your report. A moderator took action."),
    "report_no_action": _l("Thank you for your report. A moderator looked at it and took no action."),
}
KIND_NAMES = {"report": _l("Report"), "held": _l("Waiting message"), "text": _l("Consultation text"),
              "alert": _l("Safety alert"), "appeal": _l("Appeal")}
ACTION_NAMES = {"warn": _l("Warn"), "mute": _l("Mute"), "remove": _l("Remove from the room"),
                "suspend": _l("Suspend"), "hide": _l("Hide the message")}
# The names its templates use, registered by setup().
TEMPLATE_NAMES = {"report_reasons": REASON_NAMES, "notice_names": NOTICE_NAMES, "queue_kind_names": KIND_NAMES,
                  "action_names": ACTION_NAMES, "member_status_names": labels.MEMBER_STATUS_NAMES,
                  "word_action_names": labels.WORD_ACTION_NAMES, "log_action_names": labels.LOG_ACTION_NAMES,
                  "system_text": labels.system_text, "language_native_names": NATIVE_NAMES}


def rt(request: Request):
    return request.app.state.runtime



async def _queue_view(request: Request, kind: str | None) -> list[dict]:
    locale = request_locale(request)
    items = await service.queue(rt(request), request.state.member, kind)
    around = await service.contexts([item["message_id"] for item in items if item.get("message_id")])
    for item in items:
        if isinstance(item.get("question"), dict):
            texts = item["question"]
            item["question"] = texts.get(locale) or next(iter(texts.values()), "")
        if item.get("message_id"):
            item["context"] = around.get(item["message_id"], [])
        item["created_at"] = item["created_at"].isoformat() if item.get("created_at") else None
    return items


# Pages -------------------------------------------------------------------------------------------
# A refused form is shown again with what was typed (`values`) and the error next to its field;
# `form` names which of a page's forms it was, so only that one is filled in.

def _status(exc: Refused) -> int:
    return STATUS_BY_KIND.get(exc.kind, 422)


async def queue_page(request: Request, error=None, status_code=200, values=None):
    kind = request.query_params.get("kind") or None
    if kind not in (None, "report", "held", "text", "alert", "appeal"):
        kind = None
    return render(request, "moderation/queue.html", {"items": await _queue_view(request, kind), "kind": kind,
                                                     "error": error, "values": values or {}},
                  status_code=status_code)


async def claim_submit(request: Request):
    form = await form_data(request)
    try:
        await service.claim(request.state.member, form.get("kind", ""), to_int(form.get("id")) or 0)
    except Refused as exc:
        return await queue_page(request, exc, _status(exc))
    return RedirectResponse(safe_next(form.get("next"), "/moderation"), status_code=303)


_MEMBER_PAGE = re.compile(r"^/moderation/members/(\d+)$")


async def action_submit(request: Request):
    form = await form_data(request)
    ids = {name: to_int(form.get(name)) for name in ("message_id", "member_id", "room_id", "minutes", "report_id",
                                                   "sanction_id", "alert_id", "appeal_id", "item_id")}
    try:
        await actions.act(rt(request), request.state.member, form.get("action", ""), form.get("reason"),
                          kind=form.get("kind") or None, **ids)
    except Refused as exc:
        back = _MEMBER_PAGE.match(form.get("next") or "")
        member_id = to_int(back.group(1)) if back else None
        if member_id is not None and exc.kind != "not_found":
            form_name = "lift" if form.get("action") == "lift" else "act"
            return await _member(request, member_id, exc, _status(exc), form_name, form)
        return await queue_page(request, exc, _status(exc), form)
    return RedirectResponse(safe_next(form.get("next"), "/moderation"), status_code=303)


async def member_page(request: Request):
    return await _member(request, request.path_params["member_id"])


async def _member(request: Request, member_id: int, error=None, status_code=200, form_name=None, values=None):
    file = await service.member_file(member_id)
    my_rooms, _ = await rooms.rooms_for(request.state.member)
    return render(request, "moderation/member.html", {
        "file_member": file["member"], "inviter": file["inviter"], "sanctions": file["sanctions"],
        "notes": file["notes"], "rooms": my_rooms, "error": error, "form_name": form_name, "values": values or {}},
        status_code=status_code)


async def note_submit(request: Request):
    form = await form_data(request)
    member_id = to_int(form.get("member_id")) or 0
    try:
        await service.add_note(request.state.member, member_id, form.get("text", ""))
    except Refused as exc:
        if exc.kind == "not_found":
            raise
        return await _member(request, member_id, exc, _status(exc), "note", form)
    return RedirectResponse(f"/moderation/members/{member_id}", status_code=303)


async def words_page(request: Request, error=None, status_code=200, values=None):
    words = await WatchedWord.all().order_by("locale", "word")
    return render(request, "moderation/words.html", {
        "words": words, "actions": WORD_ACTIONS, "error": error, "values": values or {},
        "locales": [(code, NATIVE_NAMES[code], code) for code in LOCALES]}, status_code=status_code)


async def words_submit(request: Request):
    form = await form_data(request)
    try:
        await service.add_word(rt(request), request.state.member, form.get("locale", ""), form.get("word", ""),
                               form.get("action", ""))
    except Refused as exc:
        return await words_page(request, exc, _status(exc), form)
    return RedirectResponse("/moderation/words", status_code=303)


async def word_delete(request: Request):
    await service.remove_word(rt(request), request.state.member, request.path_params["word_id"])
    return RedirectResponse("/moderation/words", status_code=303)


async def log_page(request: Request):
    locale = request_locale(request)
    entries = await service.log_entries(before=to_int(request.query_params.get("before")))
    return render(request, "moderation/log.html", {"entries": entries, "targets": {
        e.id: labels.log_target(locale, e.action, e.target) for e in entries}})


async def _news(request: Request) -> list[tuple]:
    """What other packages tell this member: (registry notice source, its items)."""
    key, locale = vault.of_request(request), request_locale(request)
    return [(source, await source.items(rt(request), request.state.member, key, locale))
            for source in rt(request).registry.notice_sources]


def _newest_first(news: list[tuple]) -> list[dict]:
    items = [{k: v for k, v in item.items() if k != "told"} for _, found in news for item in found]
    return sorted(items, key=lambda item: item["day"], reverse=True)


async def notices_page(request: Request, error=None, status_code=200, values=None):
    member = request.state.member
    notices = await service.notices_for(member)
    appealable = await service.appealable(member)
    news = await _news(request)
    response = render(request, "moderation/notices.html", {
        "notices": notices, "news": _newest_first(news), "appealable": appealable, "error": error,
        "values": values or {}, "done": request.query_params.get("done") if error is None else None},
        status_code=status_code)
    await service.mark_notices_read(member)
    for source, shown in news:  # exactly what was shown is told: anything that came since is still news
        if source.seen is not None:
            await source.seen(rt(request), member, vault.of_request(request), shown)
    return response


async def appeal_submit(request: Request):
    form = await form_data(request)
    try:
        await service.appeal(request.state.member, to_int(form.get("sanction_id")) or 0, form.get("text", ""))
    except Refused as exc:
        return await notices_page(request, exc, _status(exc), form)
    return RedirectResponse("/notices?done=appeal", status_code=303)


async def report_submit(request: Request):
    form = await form_data(request)
    back = safe_next(form.get("next"), "/")
    try:
        await service.report(request.state.member, form.get("target", ""), to_int(form.get("id")) or 0,
                             form.get("reason", ""), form.get("note", ""))
    except Refused as exc:
        # Wherever the report form was (a room, a profile), it comes back here, filled in as sent.
        return render(request, "moderation/report.html", {"error": exc, "values": form, "back": back},
                      status_code=_status(exc))
    return RedirectResponse(back + ("&" if "?" in back else "?") + "reported=1", status_code=303)


# JSON API ----------------------------------------------------------------------------------------

async def api_report(request: Request, body: ReportIn):
    # One answer to every well-formed report, kept or not: no id, nothing of the target
    # (moderation.service.report), so it cannot tell who or what exists.
    await service.report(request.state.member, body.target, body.id, body.reason, body.note)
    return {"report": {"status": "received"}}


class QueueQuery(Query):
    kind: QueueKind | None = None


class LogQuery(Query):
    before: ID.query | None = None


async def api_queue(request: Request, query: QueueQuery):
    return {"items": await _queue_view(request, query.kind)}


async def api_claim(request: Request, body: ClaimIn):
    await service.claim(request.state.member, body.kind, body.id)
    return {"ok": True}


async def api_action(request: Request, body: ActionIn):
    action = body.root
    targets = action.model_dump(exclude={"action", "reason"})
    await actions.act(rt(request), request.state.member, action.action, action.reason, **targets)
    return {"ok": True}


async def api_appeal(request: Request, body: AppealIn):
    row = await service.appeal(request.state.member, body.sanction_id, body.text)
    return {"appeal": {"id": row.id, "status": row.status}}


async def api_notices(request: Request):
    member = request.state.member
    appealable = await service.appealable(member)
    return {"notices": [{"id": n.id, "kind": n.kind, "reason": n.reason, "created_at": n.created_at.isoformat(),
                         "sanction_id": n.sanction_id, "can_appeal": n.sanction_id in appealable}
                        for n in await service.notices_for(member)],
            # Read here, they stay new until the notices page has shown them.
            "news": [{**item, "day": item["day"].isoformat()} for item in _newest_first(await _news(request))]}


async def api_words(request: Request):
    return {"words": [{"id": w.id, "locale": w.locale, "word": w.word, "action": w.action}
                      for w in await WatchedWord.all().order_by("locale", "word")]}


async def api_word_add(request: Request, body: WordIn):
    row = await service.add_word(rt(request), request.state.member, body.locale, body.word, body.action)
    return {"word": {"id": row.id, "locale": row.locale, "word": row.word, "action": row.action}}


async def api_word_delete(request: Request):
    await service.remove_word(rt(request), request.state.member, request.path_params["word_id"])
    return {"ok": True}


async def api_log(request: Request, query: LogQuery):
    return {"entries": [{"id": e.id, "actor": e.actor.pseudonym if e.actor else None, "system": e.system,
                         "action": e.action, "target": e.target,
                         "reason": e.reason, "created_at": e.created_at.isoformat()}
                        for e in await service.log_entries(before=query.before)]}


async def api_note(request: Request, body: NoteIn):
    row = await service.add_note(request.state.member, body.member_id, body.text)
    return {"note": {"id": row.id}}


async def api_member(request: Request):
    file = await service.member_file(request.path_params["member_id"])
    return {"member": {"id": file["member"].id, "pseudonym": file["member"].pseudonym, "status": file["member"].status,
                       "invited_by": file["inviter"].pseudonym if file["inviter"] else None},
            "sanctions": [{"id": s.id, "kind": s.kind, "room_id": s.room_id, "reason": s.reason,
                           "until": s.until.isoformat() if s.until else None, "lifted": s.lifted_at is not None}
                          for s in file["sanctions"]],
            "notes": [{"id": n.id, "text": n.text, "by": n.author.pseudonym if n.author else None}
                      for n in file["notes"]]}


routes = [
    page("/moderation", queue_page, access="moderator"),
    page("/moderation/claim", claim_submit, access="moderator", methods=("POST",)),
    page("/moderation/actions", action_submit, access="moderator", methods=("POST",)),
    page("/moderation/members/{member_id:int}", member_page, access="moderator"),
    page("/moderation/notes", note_submit, access="moderator", methods=("POST",)),
    page("/moderation/words", words_page, access="moderator"),
    page("/moderation/words", words_submit, access="moderator", methods=("POST",)),
    page("/moderation/words/{word_id:int}/delete", word_delete, access="moderator", methods=("POST",)),
    page("/moderation/log", log_page, access="moderator"),
    page("/notices", notices_page, access="member"),
    page("/appeals", appeal_submit, access="member", methods=("POST",)),
    page("/reports", report_submit, access="member", methods=("POST",)),
    api("/api/v1/reports", api_report, access="member", method="POST", status=201, tag="moderation", body=ReportIn,
        summary="Report a message, a member or a consultation text, with a reason. The reported never learn who. "
                "The answer is the same whether or not the target exists or can be seen."),
    api("/api/v1/moderation/queue", api_queue, access="moderator", method="GET", tag="moderation",
        query=QueueQuery, summary="The one queue: reports, held messages, texts, safety alerts, appeals."),
    api("/api/v1/moderation/claim", api_claim, access="moderator", method="POST", tag="moderation", body=ClaimIn,
        summary="Claim a queue item, so other moderators see it is taken."),
    api("/api/v1/moderation/actions", api_action, access="moderator", method="POST", tag="moderation", body=ActionIn,
        summary="Act, with a reason: hide, approve, reject, warn, mute, remove, suspend, lift, dismiss, "
                "handle_alert, escalate, uphold or overturn (an appeal)."),
    api("/api/v1/moderation/words", api_words, access="moderator", method="GET", tag="moderation",
        summary="Watched words by language."),
    api("/api/v1/moderation/words", api_word_add, access="moderator", method="POST", status=201, tag="moderation",
        body=WordIn, summary="Watch a word: block, hold for review, or flag."),
    api("/api/v1/moderation/words/{word_id:int}", api_word_delete, access="moderator", method="DELETE",
        tag="moderation", summary="Stop watching a word."),
    api("/api/v1/moderation/log", api_log, access="moderator", method="GET", tag="moderation",
        query=LogQuery, summary="The append-only moderator log."),
    api("/api/v1/moderation/notes", api_note, access="moderator", method="POST", status=201, tag="moderation",
        body=NoteIn, summary="A moderator note on a member (encrypted at rest)."),
    api("/api/v1/moderation/members/{member_id:int}", api_member, access="moderator", method="GET",
        tag="moderation", summary="A member's file for moderators: actions, notes, who invited them."),
    api("/api/v1/appeals", api_appeal, access="member", method="POST", status=201, tag="moderation",
        body=AppealIn, summary="Appeal an action about me, once; a different moderator decides."),
    api("/api/v1/notices", api_notices, access="member", method="GET", tag="moderation",
        summary="What moderators did about me and why, and the outcomes of my reports."),
]
