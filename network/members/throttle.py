"""Passphrase throttling: growing delays, never a lock-out, and no throttle an attacker can turn
against members.

Sign-ins (and recovery) are counted in one of two allowances:

* Trusted devices. A successful sign-in sets a device cookie (OWASP's "device cookies",
  network/members/auth.py): an opaque nonce and an HMAC under the secret key binding it to the
  pseudonym key, never the pseudonym. An attempt that presents a valid device cookie for the
  pseudonym it names is counted against that device alone (`login:dev*`: growing delays after
  FREE_FAILURES), and never against the pseudonym's delays or the client cap. So a member's own
  phone signs in at once while someone elsewhere guesses at their pseudonym, and a stolen cookie
  buys a thief only the same growing delays, for that one pseudonym.
* Untrusted clients: everything else. Their failures make growing delays for that pseudonym
  (`login:fail:`/`login:wait:`), which only untrusted attempts on that pseudonym wait for.

The per-client cap. Behind the reverse proxy the README recommends every client has the same
address, so anything the cap refuses, it refuses to everyone there: the old cap (30 failures,
then 900 s of refusals) let one person lock every member out, including members who needed to
sign in to hide or wipe. Now the cap only slows: once a client key has CLIENT_MAX_FAILURES
untrusted failures in CLIENT_WINDOW, its untrusted failures get no free failures (the pseudonym
tried waits from its first failure). It never refuses a first attempt on a pseudonym no one is
guessing, never touches a trusted device, and never refuses the right passphrase of a pseudonym
that is not waiting. A cap on one real address (spraying one passphrase across many pseudonyms)
is the proxy's to enforce: only it knows the address (README, "Behind a reverse proxy").

Every counter expires (FAILURE_MEMORY, CLIENT_WINDOW, the delays themselves), in memory (bounded
by network.core.counters) or in Redis, so memory stays bounded whatever an attacker sends; no
counter is ever created for a device cookie the server did not sign.

Inside a session, passphrase checks (change passphrase, the duress passphrase, erasure, new
recovery codes) are counted per member (`pass:`), with the same growing delays, so a session is
no way round the sign-in throttle.
"""

from __future__ import annotations

import hmac
import secrets

from network.core.keys import digest
from network.core.runtime import Runtime

FREE_FAILURES = 3          # failures before any delay
MAX_DELAY = 60             # seconds: the longest a member ever waits, however many failures
FAILURE_MEMORY = 3600      # seconds failures are remembered (per pseudonym, device or member)
CLIENT_WINDOW = 900        # seconds
CLIENT_MAX_FAILURES = 30   # untrusted failed logins from one client per window before it is slowed
DEVICE_TOKEN_MAX = 200     # characters: a longer cookie is not even looked at


def delay_after(failures: int, free: int = FREE_FAILURES) -> int:
    if failures < free:
        return 0
    return min(2 ** (failures - free), MAX_DELAY)


def _short(rt: Runtime, purpose: str, value: str) -> str:
    return digest(rt.settings.secret_key, purpose, value)[:32]


async def _wait(rt: Runtime, wait_key: str) -> int:
    return int(await rt.counters.ttl(wait_key) + 0.999)


async def _failed(rt: Runtime, fail_key: str, wait_key: str, free: int = FREE_FAILURES) -> None:
    delay = delay_after(await rt.counters.incr(fail_key, FAILURE_MEMORY), free)
    if delay:
        await rt.counters.set(wait_key, 1, delay)


# Device cookies ---------------------------------------------------------------------------------

def _device_mac(rt: Runtime, nonce: str, pseudonym_key: str) -> str:
    return digest(rt.settings.secret_key, "device", f"{nonce}:{pseudonym_key}")[:32]


def device_token(rt: Runtime, pseudonym_key: str) -> str:
    """A new device cookie value for this pseudonym: `nonce.mac`; it names no one."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_device_mac(rt, nonce, pseudonym_key)}"


def trusted_device(rt: Runtime, pseudonym_key: str, token: str | None) -> str | None:
    """The device's counter id when `token` is a device cookie this server made for this pseudonym,
    else None. The same two HMACs whatever is presented, so no path is slower or faster than another."""
    token = token if token and len(token) <= DEVICE_TOKEN_MAX else ""
    nonce, _, mac = token.partition(".")
    good = hmac.compare_digest(_device_mac(rt, nonce, pseudonym_key).encode(), mac.encode(errors="replace"))
    device = _short(rt, "throttle-device", token)  # computed either way: the same work for every attempt
    return device if good and nonce and pseudonym_key else None


# Sign-ins and recovery --------------------------------------------------------------------------

def _keys(rt: Runtime, pseudonym_key: str, device: str | None) -> tuple[str, str]:
    if device:
        return f"login:devfail:{device}", f"login:devwait:{device}"
    p = _short(rt, "throttle", pseudonym_key)
    return f"login:fail:{p}", f"login:wait:{p}"


async def wait_seconds(rt: Runtime, pseudonym_key: str, client_key: str, device: str | None = None) -> int:
    """How long this attempt must wait before it may be tried; 0 means now. `device`: from
    trusted_device; a trusted device waits only for its own failures."""
    return await _wait(rt, _keys(rt, pseudonym_key, device)[1])


async def failed(rt: Runtime, pseudonym_key: str, client_key: str, device: str | None = None) -> None:
    fail_key, wait_key = _keys(rt, pseudonym_key, device)
    if device:
        await _failed(rt, fail_key, wait_key)
        return
    over_cap = await rt.counters.incr(f"login:client:{client_key}", CLIENT_WINDOW) > CLIENT_MAX_FAILURES
    # A client over its cap is slowed, never refused: its failures wait from the first.
    await _failed(rt, fail_key, wait_key, free=0 if over_cap else FREE_FAILURES)


async def succeeded(rt: Runtime, pseudonym_key: str, device: str | None = None) -> None:
    """Forgets the failures of the allowance the success came from (the device's, or the
    pseudonym's untrusted ones): a member's sign-in on their own phone does not lift the delays
    of someone guessing elsewhere."""
    for key in _keys(rt, pseudonym_key, device):
        await rt.counters.delete(key)


# Passphrase checks inside a session ----------------------------------------------------------------

def _member_keys(rt: Runtime, member_id: int) -> tuple[str, str]:
    m = _short(rt, "throttle-member", str(member_id))
    return f"pass:fail:{m}", f"pass:wait:{m}"


async def member_wait(rt: Runtime, member_id: int) -> int:
    return await _wait(rt, _member_keys(rt, member_id)[1])


async def member_failed(rt: Runtime, member_id: int) -> None:
    await _failed(rt, *_member_keys(rt, member_id))


async def member_succeeded(rt: Runtime, member_id: int) -> None:
    for key in _member_keys(rt, member_id):
        await rt.counters.delete(key)
