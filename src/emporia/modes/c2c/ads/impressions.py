"""Impression counting, batched.

Serving a search must not write to the database once per slot (on SQLite
every write takes the one write lock). ``record`` only adds to an in-memory
counter per (keyword, local day); ``flush`` writes the counts — a few
UPDATE statements for any number of impressions — when the buffer is 2
seconds old or holds 500 keys, when the ``c2c.ads.flush_impressions`` job
runs (every 2 seconds), and before a report is read. A crash loses at most
the unflushed seconds of impressions of that process; money never depends
on them (clicks are written synchronously).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from emporia.infra.jobs.registry import job

from ..models import AdKeyword, AdKeywordDay

FLUSH_AFTER_SECONDS = 2.0
FLUSH_AT_KEYS = 500

_lock = threading.Lock()
_pending: Counter[tuple[int, dt.date]] = Counter()
_since = time.monotonic()


def record(keyword_ids: Iterable[int], day: dt.date) -> None:
    """Count one impression for each keyword on ``day``; flush if due."""
    global _since
    with _lock:
        if not _pending:
            _since = time.monotonic()
        for keyword_id in keyword_ids:
            _pending[(keyword_id, day)] += 1
        due = (
            len(_pending) >= FLUSH_AT_KEYS
            or time.monotonic() - _since >= FLUSH_AFTER_SECONDS
        )
    if due:
        flush()


def pending() -> int:
    """Impressions counted but not yet written."""
    with _lock:
        return sum(_pending.values())


def discard() -> None:
    """Forget unwritten impressions (tests start from a clean buffer)."""
    with _lock:
        _pending.clear()


def _take() -> Counter[tuple[int, dt.date]]:
    global _pending
    with _lock:
        taken, _pending = _pending, Counter()
    return taken


@transaction.atomic
def _write(counts: Counter[tuple[int, dt.date]]) -> None:
    alive = set(
        AdKeyword.objects.filter(pk__in={k for k, _ in counts}).values_list(
            "pk", flat=True
        )
    )
    counts = Counter({key: n for key, n in counts.items() if key[0] in alive})
    if not counts:
        return
    AdKeywordDay.objects.bulk_create(
        [AdKeywordDay(keyword_id=k, day=day) for k, day in counts],
        ignore_conflicts=True,
    )
    per_keyword: Counter[int] = Counter()
    by_amount: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    for (keyword_id, day), n in counts.items():
        per_keyword[keyword_id] += n
        by_amount[n].append((keyword_id, day))
    for n, keys in by_amount.items():
        for day in {d for _, d in keys}:
            AdKeywordDay.objects.filter(
                day=day, keyword_id__in=[k for k, d in keys if d == day]
            ).update(impressions=F("impressions") + n)
    by_total: dict[int, list[int]] = defaultdict(list)
    for keyword_id, n in per_keyword.items():
        by_total[n].append(keyword_id)
    for n, ids in by_total.items():
        AdKeyword.objects.filter(pk__in=ids).update(impressions=F("impressions") + n)


def flush() -> int:
    """Write the buffered impressions; returns how many were written."""
    counts = _take()
    if counts:
        try:
            _write(counts)
        except Exception:
            # Put them back so the next flush tries again, then let it fail.
            with _lock:
                _pending.update(counts)
            raise
    return sum(counts.values())


@job("c2c.ads.flush_impressions", every_seconds=2)
def flush_impressions() -> int:
    """Write this process's buffered ad impressions."""
    return flush()
