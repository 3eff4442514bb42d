"""Sealing values to their rows inside a migration (data steps), on SQLite and PostgreSQL alike.

A migration that makes a column an EncryptedTextField, or moves older values (`enc:1:`, bound only
to their column's purpose) to row-bound ones, calls `reseal`. The data key is the one `survnet
migrate` configured; a database with no rows to seal needs none.
"""

from __future__ import annotations

from network.core import crypto, db

marks = db.placeholders  # the name migrations import


async def reseal(schema_editor, table: str, columns: dict[str, str | None]) -> int:
    """Seals every value of these columns (column -> its legacy purpose, or None for a column that
    held plain text) to its table, column and row. Text that only looked sealed is sealed as text."""
    client = schema_editor.client
    mark = marks(client)
    rows = await client.execute_query_dict(f'SELECT id, {", ".join(columns)} FROM "{table}"')
    done = 0
    for row in rows:
        updates = {}
        for column, purpose in columns.items():
            value = row[column]
            if not value:
                continue
            plain = value
            if purpose and value.startswith(crypto.LEGACY_PREFIX):
                try:
                    plain = crypto.keyring().open(value, "", purpose)
                except ValueError:
                    plain = value  # written as plain text by the old prefix check: it is text
            updates[column] = crypto.keyring().seal(plain, crypto.binding(table, column, row["id"]))
        if updates:
            assignments = ", ".join(f"{column} = {mark(n)}" for n, column in enumerate(updates, 1))
            await client.execute_query(f'UPDATE "{table}" SET {assignments} WHERE id = {mark(len(updates) + 1)}',
                                       [*updates.values(), row["id"]])
            done += 1
    return done
