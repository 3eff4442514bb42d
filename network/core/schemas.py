"""The bases of every JSON body and query string the API accepts, and the shared types that carry
the service's real rules, so the OpenAPI document states what the service does."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from network.core.settings import LOCALES
from network.core.text import clean_all

# Patterns are checked with Python's own regular expressions, the flavour the document's readers
# (schemathesis among them) use to tell a valid string from an invalid one.
_VALIDATION = {"regex_engine": "python-re"}


class _Cleaned(BaseModel):
    @model_validator(mode="after")
    def _clean_text(self):
        """Once valid as sent, every text is cleaned (core.text) before anything reads it."""
        for name, value in self.__dict__.items():
            if isinstance(value, (str, list, dict)):
                object.__setattr__(self, name, clean_all(value))
        return self


class Body(_Cleaned):
    """Unknown fields refused; JSON types exactly as documented (5 is not "5", true is not 1)."""

    model_config = ConfigDict(extra="forbid", strict=True, str_max_length=4000, **_VALIDATION)


class Query(_Cleaned):
    """The base of every query-string model: values arrive as text; names it does not list are ignored
    (the language switcher's `lang`, say)."""

    model_config = ConfigDict(str_max_length=200, **_VALIDATION)


Locale = Literal[LOCALES]  # type: ignore[valid-type]


# What counts as a space differs between regular-expression flavours (Python's \\s takes \\x1c-\\x1f,
# ECMAScript's takes U+FEFF): the patterns spell out every space either knows, and end with a
# lookahead rather than $, which Python also lets match before a final newline.
_SPACE = "\\s\\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
SPACES = _SPACE  # for patterns written elsewhere (a web address: no space anywhere)
_EDGE = f"[^{_SPACE}]"
_END = "(?![\\s\\S])"


def Text(low: int = 0, high: int = 2000, **extra):
    """Text of `low` to `high` characters with no space at either end (the service counts them so)."""
    pattern = f"^{_EDGE}(?:[\\s\\S]*{_EDGE})?{_END}" if low else None
    return Annotated[str, Field(min_length=low, max_length=high, pattern=pattern, **extra)]


def Line(low: int = 0, high: int = 200, **extra):
    """One line (a name, a title): no line break, no space at either end."""
    one = f"{_EDGE}(?:[^\\n\\r\\x0b\\x0c\\x1c-\\x1e\\x85\\u2028\\u2029]*{_EDGE})?"
    pattern = f"^{one}{_END}" if low else f"^(?:{one})?{_END}"
    return Annotated[str, Field(min_length=low, max_length=high, pattern=pattern, **extra)]


def _text_only(value):
    if not isinstance(value, str):
        raise ValueError("a date and time is written as text")
    return value


# A date or a date and time, written as ISO 8601 text (never a number of seconds).
DateText = Annotated[date, BeforeValidator(_text_only), Field(strict=False, examples=["2027-01-31"])]
DateTimeText = Annotated[datetime, BeforeValidator(_text_only),
                         Field(strict=False, examples=["2027-01-31T12:00:00Z"])]


# A decimal amount as text: up to 11 whole digits and 3 decimals (the currency may allow fewer);
# an Amount is more than zero, a Limit may be zero.
Limit = Annotated[str, Field(pattern=r"^[0-9]{1,11}(?:[.,][0-9]{1,3})?(?![\s\S])", max_length=15,
                             examples=["5000"])]
Amount = Annotated[str, Field(pattern=r"^(?![0.,]+(?![\s\S]))[0-9]{1,11}(?:[.,][0-9]{1,3})?(?![\s\S])",
                              max_length=15, examples=["12.50"])]


def example(**values) -> ConfigDict:
    """A body's example for the OpenAPI document (merged with the base's configuration)."""
    return ConfigDict(json_schema_extra={"examples": [values]})
