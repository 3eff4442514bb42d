"""Helpers for room tests against live servers: members, rooms and WebSocket clients."""

from __future__ import annotations

import asyncio
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

    def __init__(self, server, pseudonym: str, role: str = "member"):
        self.server = server
        self.http = httpx.Client(base_url=server.url)
        body = self.http.post("/api/v1/auth/register", json={
            "invite_code": invite(server, role), "pseudonym": pseudonym, "passphrase": PASSPHRASE}).json()
        self.id = body["member"]["id"]
        self.http.headers["x-csrf-token"] = body["csrf_token"]
        self.cookie = f"survnet={self.http.cookies['survnet']}"

    def on(self, server) -> "Person":
        """The same session, talking to another worker."""
        other = object.__new__(Person)
        other.server, other.id, other.cookie = server, self.id, self.cookie
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
