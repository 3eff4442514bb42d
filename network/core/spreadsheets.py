"""CSV that a spreadsheet opens as data: a cell that begins like a formula (=, +, -, @, a tab or a
carriage return) gets a leading apostrophe, as OWASP advises against CSV injection."""

from __future__ import annotations

import csv
import io

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def uncell(value: str) -> str:
    """What `cell` wrote, read back: a file exported and imported again keeps its texts."""
    return value[1:] if value.startswith("'") and value[1:2] in _FORMULA and value[1:2] else value


def line(*cells) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([cell(c) for c in cells])
    return buffer.getvalue()
