"""One egress for every figure published from members' data: tables protected together, so that
no published number, alone or with all the others, gives away a group smaller than k.

A table is its cells (counts, or amounts) and the sums that relate them (a row's cells add up to
the row's total, a breakdown's groups add up to the overall count). `protect` hides:
- every count from 1 to k - 1 (primary suppression);
- every cell of a group whose members all gave the same answer (that would tell each one's answer);
- then, as long as the linear constraints of everything still published pin any hidden number to
  one value (checked exactly, as tau-ARGUS audits tables: the bounds of each hidden number by
  linear programming), the smallest other number that shares a sum with it (secondary suppression).
Sums are numbers like any other: a total is published only if that pins nothing. Erased members
count like everyone else. A count published over and over as it changes is `rounded` instead.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

HIDDEN = None


@dataclass
class Table:
    """Values by key; `sums`: (parts, whole) meaning sum(values of parts) == value of whole; `shown`:
    the keys that may be published at all (the rest are never shown: an unshared group, say)."""

    values: dict[Hashable, float]
    sums: list[tuple[list[Hashable], Hashable]] = field(default_factory=list)
    never: set[Hashable] = field(default_factory=set)
    counts: set[Hashable] = field(default_factory=set)  # keys that are head counts (amounts are not)
    upper: dict[Hashable, float] = field(default_factory=dict)  # what a value cannot exceed (its row's people)
    fixed: set[Hashable] = field(default_factory=set)  # published whatever happens (totals shown elsewhere too)

    def keys(self) -> list[Hashable]:
        return list(self.values)


def bounds(table: Table, hidden: set[Hashable]) -> dict[Hashable, tuple[float, float]]:
    """The tightest [low, high] each hidden value can take, given every published value and every sum."""
    import numpy as np  # loaded on first use: only a release or a report needs them
    from scipy.optimize import linprog

    unknown = [k for k in table.keys() if k in hidden or k in table.never]
    if not unknown:
        return {}
    index = {k: i for i, k in enumerate(unknown)}
    rows, rhs = [], []
    for parts, whole in table.sums:
        row = np.zeros(len(unknown))
        constant = 0.0
        for key in parts:
            if key in index:
                row[index[key]] += 1
            else:
                constant -= table.values[key]
        if whole in index:
            row[index[whole]] -= 1
        else:
            constant += table.values[whole]
        if row.any():
            rows.append(row)
            rhs.append(constant)
    ceiling = max([sum(abs(v) for v in table.values.values()), 1.0])
    limits = [(0, table.upper.get(key, ceiling)) for key in unknown]
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    found = {}
    for key in unknown:
        if key not in hidden:
            continue
        objective = np.zeros(len(unknown))
        objective[index[key]] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=limits, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=limits, method="highs")
        if low.status == 0 and high.status == 0:
            found[key] = (low.fun, -high.fun)
        else:  # the published numbers admit no other value: treat as pinned
            found[key] = (table.values[key], table.values[key])
    return found


def pinned(table: Table, hidden: set[Hashable]) -> list[Hashable]:
    """Hidden values whose bounds collapse to one value (to within half a unit)."""
    return [key for key, (low, high) in bounds(table, hidden).items() if high - low < 0.5]


def _alike_groups(table: Table, groups: Iterable[tuple[list[Hashable], Hashable]]) -> set[Hashable]:
    """Every cell of a group whose whole is one answer (and which has members)."""
    hidden: set[Hashable] = set()
    for parts, whole in groups:
        total = table.values.get(whole, 0)
        if total > 0 and sum(1 for p in parts if table.values[p] > 0) == 1 and \
                any(table.values[p] == total for p in parts):
            hidden.update(parts)
    return hidden


def protect(table: Table, k: int, alike: Iterable[tuple[list[Hashable], Hashable]] = (),
            also: Iterable[Hashable] = ()) -> set[Hashable]:
    """The keys to hide (besides `never`), so that no hidden value can be worked out; `also`: keys
    the caller's own rules hide first."""
    hidden = {key for key in table.counts if 0 < table.values[key] < k and key not in table.never}
    hidden |= _alike_groups(table, alike) | set(also)
    related: dict[Hashable, set[Hashable]] = {}
    for parts, whole in table.sums:
        members = set(parts) | {whole}
        for key in members:
            related.setdefault(key, set()).update(members - {key})
    while True:
        exposed = pinned(table, hidden)
        if not exposed:
            return hidden
        key = exposed[0]
        candidates = [other for other in related.get(key, ())
                      if other not in hidden and other not in table.never and other not in table.fixed]
        nonzero = [other for other in candidates if table.values[other] > 0]
        choice = min(nonzero or candidates, key=lambda other: (other not in table.counts, table.values[other]),
                     default=None)
        if choice is None:
            # Nothing left beside it to hide: everything it is summed with goes.
            hidden |= {other for other in related.get(key, ()) if other not in table.never | table.fixed}
            hidden.add(key)
            if not pinned(table, hidden):
                return hidden
            return hidden | {k2 for k2 in table.keys() if k2 not in table.never | table.fixed}
        hidden.add(choice)


def shown(table: Table, hidden: set[Hashable]) -> dict[Hashable, float | None]:
    return {key: HIDDEN if key in hidden or key in table.never else value for key, value in table.values.items()}


def rounded(count: int, k: int) -> int | None:
    """A count published again and again as it changes (the membership, month by month): hidden
    under k, else to the nearest multiple of k. Exact counts published over time give away, by
    their difference, the group of whoever joined or left in between; rounded, most changes move
    nothing, and none can be told apart from a change of up to k - 1 others."""
    return HIDDEN if count < k else k * round(count / k)
