"""One integer type that carries its bounds: identifiers, sequence numbers and counts are read the
same way from a path, a query string, a form field, a frame or a JSON body, and described the same
way in the OpenAPI document. A number the database cannot hold never reaches it: paths answer 404,
everything else a clear refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import BeforeValidator, Field

ID_MAX = 2**31 - 1    # PostgreSQL's integer, the type of every id
BIG_MAX = 2**63 - 1   # PostgreSQL's bigint: sequence numbers and money in minor units


@dataclass(frozen=True)
class Bounded:
    low: int
    high: int

    def read(self, raw) -> int | None:
        """The whole number in `raw` (text or a JSON number) when it is within bounds, else None."""
        if isinstance(raw, bool):
            return None
        if isinstance(raw, str):
            text = raw.strip()
            digits = text[1:] if text[:1] in "+-" else text
            if not digits.isascii() or not digits.isdigit() or len(digits) > 19:
                return None
            raw = int(text)
        if not isinstance(raw, int):
            return None
        return raw if self.low <= raw <= self.high else None

    def schema(self) -> dict:
        return {"type": "integer", "minimum": self.low, "maximum": self.high}

    @property
    def json(self):
        """The pydantic type for a JSON body: a JSON integer (5 or 5.0, never "5" or true), in bounds."""
        return integer(self.low, self.high)

    @property
    def query(self):
        """The pydantic type for a query string, where every value arrives as text."""
        return Annotated[int, Field(ge=self.low, le=self.high)]


def _integral(value):
    # JSON Schema counts 5.0 as an integer; the strict int that follows refuses "5" and true.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def integer(low: int, high: int, **extra):
    """A whole number from `low` to `high` in a JSON body (bodies are strict: see core.schemas)."""
    return Annotated[int, Field(ge=low, le=high, **extra), BeforeValidator(_integral)]


ID = Bounded(1, ID_MAX)
POSITION = Bounded(0, ID_MAX)       # a place in a list, from 0
SEQ = Bounded(0, BIG_MAX)           # a room's event sequence; 0 is "before the first"
PATH = Bounded(0, ID_MAX)           # any {name:int} in a route's path

Id = ID.json
Seq = SEQ.json


def read_id(raw) -> int | None:
    return ID.read(raw)
