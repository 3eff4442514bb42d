"""Test helpers: accounts made through the real invitation and registration paths."""

from __future__ import annotations

import re
from contextlib import asynccontextmanager
from itertools import count

import httpx

from network.members import accounts, invitations

PASSPHRASE = "quiet river under the moon"
_numbers = count(1)


async def make_member(app, role: str = "member", pseudonym: str | None = None,
                      passphrase: str = PASSPHRASE):
    rt = app.state.runtime
    _, code = await invitations.create(rt, None, role=role)
    pseudonym = pseudonym or f"{role} person {next(_numbers)}"
    member, codes = await accounts.register(rt, code, pseudonym, passphrase)
    member.recovery_codes_plain = codes
    return member


@asynccontextmanager
async def new_client(app, **headers):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=headers) as http:
        yield http


async def api_login(http: httpx.AsyncClient, pseudonym: str, passphrase: str = PASSPHRASE) -> str:
    response = await http.post("/api/v1/auth/login", json={"pseudonym": pseudonym, "passphrase": passphrase})
    assert response.status_code == 200, response.text
    return response.json()["csrf_token"]


@asynccontextmanager
async def signed_in(app, member, passphrase: str = PASSPHRASE):
    """A client signed in as member, with its CSRF token sent on every request."""
    async with new_client(app) as http:
        token = await api_login(http, member.pseudonym, passphrase)
        http.headers["x-csrf-token"] = token
        http.csrf = token
        yield http


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
