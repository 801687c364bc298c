"""The daily category averages of the detailed scores (``CategoryScoreDay``).

Every shop's detailed scores are compared with its main category's averages
over the last 180 days. Those averages are the same for every shop of the
category and move slowly, so they are computed once per local day for all
categories in one grouped scan, instead of per request (a category of
thousands of ratings made each credit page scan them all).

Freshness: the day's row is the window as of the job's first run that day;
ratings given later that day count from the next day. Until today's row
exists the reader uses yesterday's, and without either it computes live.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from emporia.infra.jobs.registry import job
from emporia.kernel import clock

from ..models.credit import CategoryScoreDay
from ..selectors.credit import category_totals, local_day

KEEP_DAYS = 7


@transaction.atomic
def refresh_category_scores(*, force: bool = False) -> int:
    """Write today's ``CategoryScoreDay`` rows for the categories that have
    none yet (all of them with ``force``, replacing today's), drop rows older
    than ``KEEP_DAYS``. Idempotent: a second run the same day writes nothing;
    two at once are harmless (the unique (category, day) keeps one).
    Returns how many rows it wrote."""
    today = local_day()
    if force:
        CategoryScoreDay.objects.filter(day=today).delete()
    done = set(
        CategoryScoreDay.objects.filter(day=today).values_list("category_id", flat=True)
    )
    now = clock.now()
    rows = [
        CategoryScoreDay(
            category_id=r["category_id"],
            day=today,
            ratings=r["n"],
            description_sum=r["description"] or 0,
            service_sum=r["service"] or 0,
            logistics_sum=r["logistics"] or 0,
            computed_at=now,
        )
        for r in category_totals()
        if r["category_id"] not in done
    ]
    CategoryScoreDay.objects.bulk_create(rows, ignore_conflicts=True)
    CategoryScoreDay.objects.filter(
        day__lt=today - dt.timedelta(days=KEEP_DAYS)
    ).delete()
    return len(rows)


@job("c2c.category_scores", every_seconds=600)
def refresh_category_scores_job() -> int:
    """Once per local day: the categories' 180-day detailed-score averages."""
    return refresh_category_scores()
