"""An audit of everything published, by the standard method of statistical disclosure control: take
every number a consultation (or a donor report) has ever published, in every output and every
release, write down every linear relation between them, and for each hidden number find its
bounds by linear programming, as tau-ARGUS audits tables. It fails when any bounds collapse to one
value. The auditor is written apart from the code that protects the figures (network.core.disclosure)."""

from __future__ import annotations

import csv
import io
import re

import numpy as np
from scipy.optimize import linprog

from tests.helpers import make_member, signed_in
from tests.test_consultations import _answers, _create


class Audit:
    """Unknowns (the hidden numbers), and equalities and inequalities over published and unknown numbers."""

    def __init__(self):
        self.names: list[str] = []
        self.eq: list[tuple[dict, float]] = []
        self.le: list[tuple[dict, float]] = []
        self.ceiling: dict[str, float] = {}

    def term(self, name: str, value):
        """A number as it was published: its value, or an unknown."""
        if value is None:
            if name not in self.names:
                self.names.append(name)
            return ("x", name)
        return ("c", float(value))

    def _split(self, terms, sign=1.0):
        row, constant = {}, 0.0
        for kind, item in terms:
            if kind == "x":
                row[item] = row.get(item, 0.0) + sign
            else:
                constant += sign * item
        return row, constant

    def equal(self, left: list, right: list):
        a, ca = self._split(left)
        b, cb = self._split(right, -1.0)
        row = {k: a.get(k, 0) + b.get(k, 0) for k in set(a) | set(b)}
        if row:
            self.eq.append((row, -(ca + cb)))

    def at_most(self, left: list, right: list):
        a, ca = self._split(left)
        b, cb = self._split(right, -1.0)
        row = {k: a.get(k, 0) + b.get(k, 0) for k in set(a) | set(b)}
        if row:
            self.le.append((row, -(ca + cb)))

    def pinned(self) -> list[tuple[str, float, float]]:
        n = len(self.names)
        index = {name: i for i, name in enumerate(self.names)}

        def matrix(rows):
            if not rows:
                return None, None
            a = np.zeros((len(rows), n))
            for r, (row, _) in enumerate(rows):
                for name, coefficient in row.items():
                    a[r, index[name]] = coefficient
            return a, np.array([b for _, b in rows])

        a_eq, b_eq = matrix(self.eq)
        a_ub, b_ub = matrix(self.le)
        limits = [(0, self.ceiling.get(name, 10**6)) for name in self.names]
        found = []
        for name in self.names:
            c = np.zeros(n)
            c[index[name]] = 1
            low = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=limits, method="highs")
            high = linprog(-c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=limits, method="highs")
            assert low.status == 0 and high.status == 0, (name, low.message)
            if -high.fun - low.fun < 0.5:
                found.append((name, low.fun, -high.fun))
        return found


def audit_release(audit: Audit, release: dict, kinds: dict[int, str]) -> None:
    r = release["number"]
    total = release["respondents"]
    if total is None:
        return
    overall = {}
    for q in release["questions"]:
        cells = [audit.term(f"r{r}q{q['id']}c{i}", v) for i, v in enumerate(q["cells"])]
        overall[q["id"]] = cells
        for i, term in enumerate(cells):
            if term[0] == "x":
                audit.ceiling[term[1]] = total
        if kinds[q["id"]] in ("single", "scale"):
            none = audit.term(f"r{r}q{q['id']}none", q["no_answer"])
            audit.equal([*cells, none], [("c", total)])
    for attribute, data in release["breakdowns"].items():
        sizes = dict(zip(data["groups"], data["sizes"]))
        others_size = total - sum(s for s in sizes.values())
        for qid, rows in data["questions"].items():
            qid = int(qid)
            grid = {g: [audit.term(f"r{r}q{qid}{attribute}{g}c{i}", v) for i, v in enumerate(row)]
                    for g, row in zip(data["groups"], rows)}
            for g, row in grid.items():
                for term in row:
                    if term[0] == "x":
                        audit.ceiling[term[1]] = sizes[g]
                if kinds[qid] in ("single", "scale"):
                    audit.at_most(row, [("c", sizes[g])])  # the group's "no answer" is not shown, and >= 0
            for i, column_total in enumerate(overall[qid]):
                audit.at_most([row[i] for row in grid.values()], [column_total])  # the "others" are >= 0
            if kinds[qid] in ("single", "scale"):
                # What is left for the others, answers only: at most as many as the others are.
                left = [t for t in overall[qid]] + [(kind, -v) if kind == "c" else ("neg", v)
                                                    for row in grid.values() for kind, v in row]
                row_terms, constant = {}, 0.0
                for kind, item in left:
                    if kind == "x":
                        row_terms[item] = row_terms.get(item, 0) + 1
                    elif kind == "neg":
                        row_terms[item] = row_terms.get(item, 0) - 1
                    else:
                        constant += item
                if row_terms:
                    audit.le.append((row_terms, others_size - constant))


async def _member(app, language, region, age_band):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        await http.patch("/api/v1/me", json={"languages": [language], "region": region, "age_band": age_band})
    return member


async def test_no_hidden_figure_of_any_release_or_output_can_be_worked_out(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    cid = consultation["id"]
    kinds = {q["id"]: q["kind"] for q in consultation["questions"]}
    plan = [  # language, region, age band, single, multiple, scale
        ("fr", "KE", "25-34", 0, [0], 5), ("fr", "KE", "25-34", 0, [0, 1], 4), ("sw", "KE", "25-34", 1, [1], 4),
        ("sw", "CD", "35-49", 0, [0], 3), ("fr", "CD", "25-34", 2, [0, 2], 5), ("sw", "KE", "35-49", 0, [2], 2),
        ("ar", "CD", "25-34", 1, [0], 4), ("fr", "KE", "35-49", 0, [0, 1], 5), ("sw", "CD", "25-34", 1, [1, 2], 1),
        ("fr", "CD", "25-34", 0, [0], 4), ("ar", "KE", "25-34", 1, [2], 3), ("sw", "KE", "25-34", 0, [0], 5),
        ("fr", "CD", "35-49", 1, [0, 1], 4), ("sw", "CD", "25-34", 0, [1], 2),
    ]
    async with signed_in(app, owner) as owner_http:
        for n, (language, region, age_band, single, multiple, scale) in enumerate(plan):
            member = await _member(app, language, region, age_band)
            async with signed_in(app, member) as http:
                await http.post(f"/api/v1/consultations/{cid}/consent", json={"share_profile": n != 6})
                await http.put(f"/api/v1/consultations/{cid}/answers", json={
                    "answers": _answers(consultation, single, multiple, scale, [0, 1, 2]), "submit": True})
            if n + 1 in (5, 10):
                assert (await owner_http.post(f"/api/v1/consultations/{cid}/releases")).status_code == 201
        await owner_http.post(f"/api/v1/consultations/{cid}/close")
        releases = (await owner_http.get(f"/api/v1/consultations/{cid}/releases")).json()["releases"]
        exported = (await owner_http.get(f"/api/v1/consultations/{cid}/export.csv")).text
        page = (await owner_http.get(f"/consultations/{cid}/results")).text
    assert [r["number"] for r in releases] == [1, 2, 3] and releases[-1]["final"]
    final = releases[-1]
    hidden = sum(v is None for q in final["questions"] for v in q["cells"])
    assert hidden > 0 and final["breakdowns"]  # the audit has something to try
    audit = Audit()
    for release in releases:
        audit_release(audit, release, kinds)
    assert audit.pinned() == []
    # The CSV and the page publish the final release and nothing more.
    csv_numbers = sorted(int(row[3]) for row in csv.reader(io.StringIO(exported)) if row and row[0] != "text"
                         and row[3].isdigit())
    released_numbers = sorted([final["respondents"]] + [v for q in final["questions"] for v in q["cells"] if v is not None]
                              + [q["no_answer"] for q in final["questions"] if q.get("no_answer") is not None]
                              + [v for data in final["breakdowns"].values() for v in data["sizes"]]
                              + [v for data in final["breakdowns"].values() for rows in data["questions"].values()
                                 for row in rows for v in row if v is not None])
    assert csv_numbers == released_numbers
    table_numbers = [int(n) for n in re.findall(r"<td>(\d+)</td>", page)]
    scores = [v for q in final["questions"] for v in q.get("scores", []) if v is not None]
    scale_labels = list(range(1, 6))  # a scale's answers are numbers too, in the first column
    assert set(table_numbers) <= set(released_numbers) | set(scores) | set(scale_labels)


async def test_no_hidden_amount_or_count_of_a_donor_report_can_be_worked_out(app):
    from datetime import date, timedelta

    from network.stipends import service as stipends

    admin, second = await make_member(app, "admin"), await make_member(app, "admin")
    async with signed_in(app, admin) as http:
        fund = (await http.post("/api/v1/funds", json={"name": "Audit fund", "currency": "KES",
                                                       "receipt_threshold": "0", "two_approver_threshold": "0"}))
        fund = fund.json()["fund"]
        today = date.today()
        await http.post(f"/api/v1/funds/{fund['id']}/budgets", json={
            "period_start": today.replace(day=1).isoformat(),
            "period_end": (today.replace(day=1) + timedelta(days=60)).isoformat(), "amount": "900000"})
    plan = [("travel", "KE", "1000")] * 6 + [("travel", "CD", "2500")] * 5 + \
        [("time_off", "CD", "700")]
    requested = []
    for kind, region, amount in plan:
        member = await make_member(app)
        async with signed_in(app, member) as http:
            await http.patch("/api/v1/me", json={"region": region})
            stipend = await http.post("/api/v1/stipends", json={
                "fund_id": fund["id"], "kind": kind, "amount": amount, "purpose": "to take part",
                "payout_method": "mobile_money", "payout_details": "M-Pesa"})
            requested.append((member, stipend.json()["stipend"]["id"]))
    for _, stipend_id in requested:
        await stipends.decide(await _reloaded(second), stipend_id, "approve", "")
    # The only member of one cell erases their account: the cell still counts them.
    async with signed_in(app, requested[-1][0]) as http:
        await http.request("DELETE", "/api/v1/me", json={"passphrase": "quiet river under the moon"})
    async with signed_in(app, admin) as http:
        report = (await http.get(f"/api/v1/funds/{fund['id']}/report")).json()["report"]
        exported = (await http.get(f"/api/v1/funds/{fund['id']}/report", params={"format": "csv"})).text
    audit = Audit()
    by_period: dict = {}
    for n, cell in enumerate(report["cells"]):
        people = audit.term(f"people{n}", cell["people"])
        amount = audit.term(f"amount{n}", None if cell["amount"] is None else float(cell["amount"]))
        by_period.setdefault(cell["period"], []).append(amount)
        assert people[0] == "x" or people[1] >= 5
    for budget in report["budgets"]:
        if budget["reserved"] is not None:
            audit.equal(by_period.get(budget["period"], []), [("c", float(budget["reserved"]))])
    time_off = [c for c in report["cells"] if c["kind"] == "time_off"][0]
    assert time_off["people"] is None and time_off["amount"] is None  # one person, erased or not: hidden
    assert audit.names and audit.pinned() == []
    assert "700" not in exported


async def _reloaded(member):
    from network.members.models import Member

    return await Member.get(id=member.id)
