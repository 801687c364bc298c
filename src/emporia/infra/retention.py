"""Deleting old log rows in small batches.

The outbox, the webhook delivery log and the job log grow with every order
(an order leaves three events, their handler runs, a job run every second).
Kept for ever they slow the tables and fill the disk; the purge jobs delete
what is older than its retention period. They delete a few hundred rows per
short transaction, so that on SQLite the database's single write lock is
never held for long while orders wait behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from emporia.kernel import clock

BATCH = 500
MAX_BATCHES = 40  # per run: 20,000 rows; the job runs again within the hour


def cutoff(key: str, default_days: int) -> dt.datetime:
    """Now minus ``EMPORIA[key]`` days (at least one)."""
    days = max(int(settings.EMPORIA.get(key, default_days)), 1)
    return clock.now() - dt.timedelta(days=days)


def purge(select: Callable[[], QuerySet]) -> int:
    """Delete the rows ``select()`` returns, ``BATCH`` at a time, each batch
    in its own transaction (with what cascades from them); returns how many
    rows of the selected model went."""
    deleted = 0
    for _ in range(MAX_BATCHES):
        qs = select()
        ids = list(qs.order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            break
        with transaction.atomic():
            qs.model.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    return deleted
