"""One reader for JSON that arrives from outside (request bodies and socket frames): bounded in size
and nesting before it is parsed. Its text is cleaned (core.text) once it is valid: by the body
models (core.schemas), and by the socket for frames."""

from __future__ import annotations

import json
import re

DEPTH_MAX = 32
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


class Unreadable(ValueError):
    """Not JSON, or JSON nested deeper than anything this API accepts."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def depth(text: str) -> int:
    """How deeply arrays and objects nest, found without recursing (strings set aside first)."""
    deepest = level = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        level += 1 if bracket.group() in "[{" else -1
        deepest = max(deepest, level)
    return deepest


def loads(raw: bytes | str, max_depth: int = DEPTH_MAX):
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise Unreadable("malformed_json") from None
    if depth(text) > max_depth:
        raise Unreadable("too_deep")
    try:
        data = json.loads(text or "null")
    except (ValueError, RecursionError):
        raise Unreadable("malformed_json") from None
    return data
