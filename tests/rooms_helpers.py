"""Helpers for room tests against live servers: members, rooms and WebSocket clients."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
from contextlib import asynccontextmanager

import httpx
from websockets.asyncio.client import connect

from network.core.settings import ROOT

PASSPHRASE = "rooms are for talking"


def invite(server, role="member") -> str:
    result = subprocess.run([sys.executable, "-m", "network.core.cli", "invite", "--role", role], env=server.env, cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1]


class Person:
    """A member signed in on a live server, with an HTTP client and their session cookie."""

    def __init__(self, server, pseudonym: str, role: str = "member", code: str | None = None):
        self.server, self.pseudonym = server, pseudonym
        self.http = httpx.Client(base_url=server.url)
        body = self.http.post("/api/v1/auth/register", json={
            "invite_code": code or invite(server, role), "pseudonym": pseudonym, "passphrase": PASSPHRASE}).json()
        self.id, self.recovery_codes = body["member"]["id"], body["recovery_codes"]
        self._signed_in(body["csrf_token"])

    def _signed_in(self, csrf_token: str) -> None:
        self.http.headers["x-csrf-token"] = csrf_token
        self.cookie = f"survnet={self.http.cookies['survnet']}"

    def another_session(self) -> "Person":
        """The same member signed in a second time, on the same worker."""
        other = object.__new__(Person)
        other.server, other.id, other.pseudonym = self.server, self.id, self.pseudonym
        other.http = httpx.Client(base_url=self.server.url)
        response = other.http.post("/api/v1/auth/login", json={"pseudonym": self.pseudonym, "passphrase": PASSPHRASE})
        other._signed_in(response.json()["csrf_token"])
        return other

    def on(self, server) -> "Person":
        """The same session, talking to another worker."""
        other = object.__new__(Person)
        other.server, other.id, other.cookie, other.pseudonym = server, self.id, self.cookie, self.pseudonym
        other.http = httpx.Client(base_url=server.url, headers=dict(self.http.headers))
        other.http.cookies.set("survnet", self.http.cookies["survnet"])
        return other

    def room(self, **fields) -> dict:
        response = self.http.post("/api/v1/rooms", json={"name": "Test room", **fields})
        assert response.status_code == 201, response.text
        return response.json()["room"]

    def join(self, room_id: int) -> None:
        assert self.http.post(f"/api/v1/rooms/{room_id}/join").status_code == 200

    def post(self, room_id: int, body: str, **extra) -> httpx.Response:
        return self.http.post(f"/api/v1/rooms/{room_id}/messages", json={"body": body, **extra})


@asynccontextmanager
async def socket(person: Person, room_id: int, after: int | None = None, origin: str | None = "same", cookie=True):
    url = person.server.ws_url + f"/rooms/{room_id}/ws" + (f"?after={after}" if after is not None else "")
    headers = {"Cookie": person.cookie} if cookie else {}
    async with connect(url, additional_headers=headers,
                       origin=person.server.url if origin == "same" else origin, open_timeout=10) as ws:
        yield ws


async def next_frame(ws, kind: str | None = None, timeout: float = 5.0) -> dict:
    """The next frame (of a kind, skipping presence counts and others)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        remaining = deadline - asyncio.get_running_loop().time()
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=max(remaining, 0.01)))
        if kind is None or frame.get("type") == kind:
            return frame


def crowd(server, count: int, prefix: str, role: str = "member") -> list[Person]:
    """Many members at once: one invitation with as many uses, made by an administrator."""
    admin = Person(server, f"{prefix} Admin", "admin")
    code = admin.http.post("/api/v1/invitations", json={"role": role, "uses": count, "days": 1}).json()["code"]
    return [Person(server, f"{prefix} {n}", code=code) for n in range(count)]


def act(moderator: Person, **body) -> None:
    response = moderator.http.post("/api/v1/moderation/actions", json=body)
    assert response.status_code == 200, response.text


class Reader:
    """A room socket that keeps what it was shown, reconnects where it can (with the last sequence it
    saw) and counts every message frame, so a test can say: each message once, in order."""

    def __init__(self, person: Person, room_id: int, servers: list):
        self.person, self.room_id, self.servers = person, room_id, list(servers)
        self.cursor: int | None = None
        self.shown: dict[int, int] = {}      # message id -> how many "message" frames came for it
        self.seqs: list[int] = []            # the sequence of every event frame, as delivered
        self.messages: dict[int, dict] = {}  # message id -> the message as it now stands here
        self.gone: dict[int, str] = {}       # message id -> "hidden" or "deleted"
        self.synced = asyncio.Event()
        self.connections = 0
        self._stop = False
        self._task: asyncio.Task | None = None

    def apply(self, frame: dict) -> None:
        kind = frame.get("type")
        if kind == "synced":
            self.cursor = max(self.cursor or 0, frame["seq"])
            self.synced.set()
            return
        if "seq" not in frame or kind == "ack":
            return
        self.seqs.append(frame["seq"])
        self.cursor = max(self.cursor or 0, frame["seq"])
        if kind == "message":
            self.shown[frame["message"]["id"]] = self.shown.get(frame["message"]["id"], 0) + 1
        if kind in ("message", "edited", "redacted"):
            self.messages[frame["message"]["id"]] = frame["message"]
            self.gone.pop(frame["message"]["id"], None)
        elif kind in ("hidden", "deleted"):
            self.gone[frame["id"]] = kind

    async def _session(self, server) -> None:
        person = self.person if server is self.person.server else self.person.on(server)
        async with socket(person, self.room_id, after=self.cursor) as ws:
            self.connections += 1
            async for raw in ws:
                self.apply(json.loads(raw))

    async def _run(self) -> None:
        turn = 0
        while not self._stop:
            try:
                await self._session(self.servers[turn % len(self.servers)])
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the server went away or Redis restarted: reconnect
                pass
            if not self._stop:
                turn += 1
                await asyncio.sleep(0.2)

    async def start(self) -> "Reader":
        self._task = asyncio.create_task(self._run())
        await asyncio.wait_for(self.synced.wait(), 15)
        return self

    async def stop(self) -> None:
        self._stop = True
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    def drop_server(self, server) -> None:
        self.servers = [s for s in self.servers if s is not server]

    def in_order(self) -> bool:
        return self.seqs == sorted(self.seqs) and len(self.seqs) == len(set(self.seqs))


async def wait_for(condition, timeout: float = 20.0, every: float = 0.05) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if condition():
            return True
        await asyncio.sleep(every)
    return condition()


class Sender:
    """Sends messages over a room socket; after losing it, reconnects (elsewhere if it must) and sends
    again everything not acknowledged, with the same client ids."""

    def __init__(self, person: Person, room_id: int, servers: list):
        self.person, self.room_id, self.servers = person, room_id, list(servers)
        self.acked: dict[str, int] = {}     # client id -> message id
        self.unacked: dict[str, dict] = {}
        self.refused: list[dict] = []

    async def send_all(self, bodies: list[str], pause: float = 0.0, deadline: float = 60.0) -> None:
        for n, body in enumerate(bodies):
            client_id = f"{self.person.id}-{n}"
            self.unacked[client_id] = {"type": "send", "body": body, "client_id": client_id}
        queue = list(self.unacked)
        turn = 0
        end = asyncio.get_running_loop().time() + deadline
        while self.unacked and asyncio.get_running_loop().time() < end:
            server = self.servers[turn % len(self.servers)]
            person = self.person if server is self.person.server else self.person.on(server)
            try:
                async with socket(person, self.room_id) as ws:
                    for client_id in [c for c in queue if c in self.unacked]:
                        await ws.send(json.dumps(self.unacked[client_id]))
                        if pause:
                            await asyncio.sleep(pause)
                    while self.unacked:
                        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
                        if frame.get("type") == "ack" and frame.get("client_id") in self.unacked:
                            self.acked[frame["client_id"]] = frame["id"]
                            del self.unacked[frame["client_id"]]
                        elif frame.get("type") == "error" and frame.get("client_id") in self.unacked:
                            if frame.get("code") in ("rate_limited", "unavailable"):
                                await asyncio.sleep(1)
                                await ws.send(json.dumps(self.unacked[frame["client_id"]]))
                            else:
                                self.refused.append(frame)
                                del self.unacked[frame["client_id"]]
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - lost the socket: again, maybe on another worker
                turn += 1
                await asyncio.sleep(0.2)


def sign_in_page(page, server, pseudonym: str) -> None:
    """Signs in through the form, as a person would, and waits for the signed-in header."""
    page.goto(server.url + "/login")
    page.fill("#f-pseudonym", pseudonym)
    page.fill("#f-passphrase", PASSPHRASE)
    page.click("main button[type=submit]")
    page.wait_for_selector("header button:has-text('Sign out')")
