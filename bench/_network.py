"""A populated network on a live server, for benchmarks of the pages people use signed in.

`survnet demo` first, then, through the JSON API as people would: members who join the Welcome
room and write in it (50 messages and more), answer the demo consultation, and report messages
(50 and more items in the moderation queue). Returns signed-in cookies for the demo member,
moderator and policymaker, and the ids the pages need."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field

import httpx

from bench._serve import ROOT

MEMBERS, MESSAGES_EACH = 20, 3  # 60 messages in the room; 60 reports, of which the queue shows 50
DEMO = {"member": ("Demo Member", "demo member passphrase 1"),
        "moderator": ("Demo Moderator", "demo moderator passphrase 1"),
        "policymaker": ("Demo Policymaker", "demo policymaker passphrase 1")}


@dataclass
class Network:
    url: str
    cookies: dict[str, str] = field(default_factory=dict)  # role -> Cookie header
    room_id: int = 0
    consultation_id: int = 0


def seed_demo(env: dict) -> None:
    for command in ("migrate", "demo"):
        subprocess.run([sys.executable, "-m", "network.core.cli", command], env=env, check=True, cwd=ROOT,
                       capture_output=True)


def _invite(env: dict, uses: int) -> str:
    out = subprocess.run([sys.executable, "-m", "network.core.cli", "invite", "--uses", str(uses)], env=env,
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return out.strip().splitlines()[-1]


def _answer(question: dict, n: int) -> dict:
    options = question.get("options") or []
    pick = n % max(1, len(options))
    given = {"single": {"option": pick}, "multiple": {"options": [pick]},
             "ranking": {"ranking": list(range(len(options)))},
             "scale": {"value": question.get("scale_min", 1) + n % 3},
             "text": {"text": f"Care closer to home, answer {n}."}, "comment": {"text": ""}}[question["kind"]]
    return {"question_id": question["id"], **given}


def _signed_in(url: str, pseudonym: str, passphrase: str) -> httpx.Client:
    http = httpx.Client(base_url=url, timeout=30)
    response = http.post("/api/v1/auth/login", json={"pseudonym": pseudonym, "passphrase": passphrase})
    response.raise_for_status()
    http.headers["x-csrf-token"] = response.json()["csrf_token"]
    return http


def populate(url: str, env: dict) -> Network:
    """The demo network (already seeded and served at `url`) grown to the sizes above."""
    network = Network(url)
    member = _signed_in(url, *DEMO["member"])
    rooms = member.get("/api/v1/rooms").json()
    network.room_id = next(r["id"] for group in rooms.values() for r in group if r["name"] == "Welcome")
    network.consultation_id = member.get("/api/v1/consultations").json()["open"][0]["id"]
    member.close()
    code = _invite(env, MEMBERS)
    for n in range(MEMBERS):
        with httpx.Client(base_url=url, timeout=30) as http:
            joined = http.post("/api/v1/auth/register", json={"invite_code": code, "pseudonym": f"Bench Person {n}",
                                                               "passphrase": "bench person passphrase"})
            joined.raise_for_status()
            http.headers["x-csrf-token"] = joined.json()["csrf_token"]
            http.post(f"/api/v1/rooms/{network.room_id}/join").raise_for_status()
            for m in range(MESSAGES_EACH):
                posted = http.post(f"/api/v1/rooms/{network.room_id}/messages",
                                   json={"body": f"Message {m} from bench person {n}: thank you for this room."})
                posted.raise_for_status()
                http.post("/api/v1/reports", json={"target": "message", "id": posted.json()["message"]["id"],
                                                   "reason": "spam"}).raise_for_status()
            cid = network.consultation_id
            questions = http.get(f"/api/v1/consultations/{cid}").json()["consultation"]["questions"]
            http.post(f"/api/v1/consultations/{cid}/consent", json={}).raise_for_status()
            http.put(f"/api/v1/consultations/{cid}/answers",
                     json={"answers": [_answer(q, n) for q in questions], "submit": True}).raise_for_status()
    for role, (pseudonym, passphrase) in DEMO.items():
        http = _signed_in(url, pseudonym, passphrase)
        network.cookies[role] = "; ".join(f"{name}={value}" for name, value in http.cookies.items())
        http.close()
    return network
