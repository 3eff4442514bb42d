"""Bad input over real connections: socket frames of every odd kind, and requests too malformed for
the app to see, which the server still answers in the site's language."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket as sockets

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.conftest import start_server, stop_server
from tests.rooms_helpers import Person, next_frame, socket


@pytest.fixture(params=["sqlite", "postgres"])
def server(request, tmp_path):
    env = {"SURVNET_DEFAULT_LOCALE": "fr"}
    if request.param == "postgres":
        env["SURVNET_DATABASE_URL"] = request.getfixturevalue("postgres_url")
    live = start_server(tmp_path, env)
    yield live
    stop_server(live)


async def test_odd_frames_get_error_frames_and_the_socket_stays(server):
    moderator = Person(server, "Odd Keeper", "moderator")
    room = moderator.room(name="Odd frames")
    async with socket(moderator, room["id"]) as ws:
        await next_frame(ws, "synced")
        cases = [
            (b"\x00\x01binary", "invalid_frame"),
            ("[" * 5000 + "]" * 5000, "invalid_json"),
            (json.dumps({"type": "send", "body": "hi", "reply_to": 2**64}), "invalid_frame"),
            (json.dumps({"type": "send", "body": "hi", "reply_to": True}), "invalid_frame"),
            (json.dumps({"type": "send", "body": "x" * 20_000}), "too_large"),
        ]
        for raw, code in cases:
            await ws.send(raw)
            frame = await next_frame(ws, "error")
            assert frame["code"] == code and frame["message"], (raw[:30], frame)
        # A lone surrogate and NUL in a body: stored as replacement marks, shown to everyone so.
        await ws.send('{"type": "send", "body": "half \\ud800 and \\u0000 nul \\u202e", "client_id": "odd"}')
        ack = await next_frame(ws, "ack")
        assert ack["status"] == "visible"
        await ws.send(json.dumps({"type": "ping"}))
        assert (await next_frame(ws, "pong"))["type"] == "pong"
    # Over 1 MiB the server closes with 1009 (documented in the OpenAPI document's description).
    with contextlib.suppress(ConnectionClosed, OSError):
        async with socket(moderator, room["id"]) as ws:
            await next_frame(ws, "synced")
            await ws.send("x" * (1024 * 1024 + 10))
            with pytest.raises(ConnectionClosed):
                for _ in range(5):
                    await asyncio.wait_for(ws.recv(), timeout=5)
    assert ws.close_code == 1009
    shown = moderator.http.get(f"/api/v1/rooms/{room['id']}/messages").json()["messages"]
    assert [m["body"] for m in shown] == ["half \ufffd and \ufffd nul \ufffd"]


async def test_odd_cursors_and_rooms_are_refused_with_a_documented_close(server):
    moderator = Person(server, "Cursor Keeper", "moderator")
    room = moderator.room(name="Cursors")
    async with socket(moderator, room["id"], after=2**64) as ws:
        frame = await next_frame(ws, "error")
        assert frame["code"] == "invalid_query" and "after" in frame["message"]
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), timeout=5)
        assert ws.close_code == 4400
    for room_id in (2**31, 2**64):
        with pytest.raises(InvalidStatus) as refused:
            async with socket(moderator, room_id):
                pass
        assert refused.value.response.status_code == 403
    assert "Traceback" not in server.logs()


def _raw(server, request: bytes) -> bytes:
    port = int(server.url.rsplit(":", 1)[1])
    with sockets.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(request)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    return data


def test_requests_the_server_cannot_parse_are_answered_in_the_sites_language(server):
    bad_length = _raw(server, b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: twelve\r\n\r\n")
    head, _, body = bad_length.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and b"application/json" in head and b"content-security-policy" in head
    assert json.loads(body)["error"]["message"].startswith("Un élément")  # French, the site's language
    long_url = _raw(server, b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    head, _, body = long_url.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and b"text/html" in head and b"x-frame-options: DENY" in head
    assert 'lang="fr"' in body.decode()
