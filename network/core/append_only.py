"""Logs that are written once and never changed or deleted by the application: the moderator log,
the library's log. Erasure and retention still clear a reference in them (a query update), which is
what they alone may do."""

from __future__ import annotations

from tortoise.models import Model


class AppendOnly(PermissionError):
    pass


class AppendOnlyModel(Model):
    class Meta:
        abstract = True

    async def save(self, *args, **kwargs):
        if self._saved_in_db:
            raise AppendOnly(f"{self._meta.db_table} is append-only")
        await super().save(*args, **kwargs)

    async def delete(self, *args, **kwargs):
        raise AppendOnly(f"{self._meta.db_table} is append-only")
