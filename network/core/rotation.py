"""Re-encrypting every encrypted field under the current data key (`survnet rotate-data-key`)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable

from tortoise import Tortoise

from network.core.crypto import EncryptedTextField, Stored, Unavailable
from network.core.settings import Settings

BATCH = 500


def encrypted_columns() -> list[tuple[type, str]]:
    columns = []
    for app in Tortoise.apps.values():
        for model in app.values():
            for name, field in model._meta.fields_map.items():
                if isinstance(field, EncryptedTextField):
                    columns.append((model, name))
    return columns


async def reencrypt_all(progress: Callable[[str, int, int], None] | None = None) -> int:
    """Reads each value (under whichever known key) and writes it back sealed under the current key."""
    done_total = 0
    for model, name in encrypted_columns():
        total = await model.all().count()
        done, last_id = 0, 0
        while True:
            rows = await model.filter(id__gt=last_id).order_by("id").limit(BATCH).values_list("id", name)
            if not rows:
                break
            field = model._meta.fields_map[name]
            for row_id, stored in rows:
                last_id = row_id
                if not isinstance(stored, Stored):
                    continue
                value = field.open(stored, row_id)
                if isinstance(value, Unavailable):
                    continue  # left as it is: reported (without its value), never destroyed
                await model.filter(id=row_id).update(**{name: field.seal(value, row_id)})
            done += len(rows)
            if progress:
                progress(f"{model._meta.db_table}.{name}", done, total)
        done_total += done
    return done_total


def generate_new_key(settings: Settings) -> str:
    """Development only: a new ./var/data_key, the old one kept for reading until re-encrypted."""
    var = settings.var_dir
    old = (var / "data_key").read_text().strip()
    new = secrets.token_urlsafe(32)
    with open(var / "previous_data_keys", "a") as handle:
        handle.write(old + "\n")
    os.chmod(var / "previous_data_keys", 0o600)
    tmp = var / "data_key.new"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(new + "\n")
    os.replace(tmp, var / "data_key")
    return new
