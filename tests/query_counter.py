"""Counts the database queries one piece of work runs, from Tortoise's own query log.

Every query Tortoise sends is logged once on `tortoise.db_client` before it runs; counting those
records, only inside the context the work runs in, leaves out the app's background jobs."""

from __future__ import annotations

import contextvars
import logging
from contextlib import contextmanager

_counting: contextvars.ContextVar[list | None] = contextvars.ContextVar("counting_queries", default=None)
_CONNECTION_NOTES = ("Created connection", "Closed connection", "Created connection pool", "Closed connection pool")


class _Counter(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        queries = _counting.get()
        if queries is not None and not str(record.msg).startswith(_CONNECTION_NOTES):
            queries.append(record.args[0] if record.args else str(record.msg))


@contextmanager
def counting_queries():
    """`with counting_queries() as queries:` fills `queries` with the SQL run inside it."""
    logger = logging.getLogger("tortoise.db_client")
    handler, level = _Counter(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    queries: list[str] = []
    token = _counting.set(queries)
    try:
        yield queries
    finally:
        _counting.reset(token)
        logger.removeHandler(handler)
        logger.setLevel(level)
