"""Small-group suppression for every figure published from members' data.

Any cell under k shows "fewer than k"; and when a row or column would have a single hidden cell,
the next smallest is hidden too, so no hidden cell can be worked out from the totals.
"""

from __future__ import annotations

HIDDEN = None  # a suppressed cell


def suppress(table: dict, k: int) -> dict:
    """Suppresses a table {row: {column: count}} in place of a copy; hidden cells become None.

    Row totals and column totals are taken as published, so each row and column with a hidden
    cell gets at least two."""
    out = {row: dict(cols) for row, cols in table.items()}
    for row in out.values():
        for col, count in row.items():
            if count is not None and 0 < count < k:
                row[col] = HIDDEN
    changed = True
    while changed:
        changed = False
        lines = [[(r, c) for c in out[r]] for r in out]
        columns: dict = {}
        for r in out:
            for c in out[r]:
                columns.setdefault(c, []).append((r, c))
        for line in lines + list(columns.values()):
            hidden = [cell for cell in line if out[cell[0]][cell[1]] is HIDDEN]
            if len(hidden) != 1:
                continue
            visible = [cell for cell in line if out[cell[0]][cell[1]] not in (HIDDEN, 0)]
            if visible:
                r, c = min(visible, key=lambda cell: out[cell[0]][cell[1]])
                out[r][c] = HIDDEN
                changed = True
    return out
