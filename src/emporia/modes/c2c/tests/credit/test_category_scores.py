"""The category side of the detailed scores is computed once per local day
(``CategoryScoreDay``, job ``c2c.category_scores``), so a shop's credit
summary is three small queries whatever the size of its category."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from emporia.infra.jobs.services import run_job
from emporia.modes.c2c.models import CategoryScoreDay
from emporia.modes.c2c.selectors import credit as selectors
from tests import factories

pytestmark = pytest.mark.django_db

JOB = "c2c.category_scores"


@pytest.fixture
def peer(stall, sku_factory, product_factory):
    """Another shop's SKU in the stall's category."""
    sku = sku_factory(product=product_factory(category=stall["category"]))
    factories.stock(sku, 10)
    return sku


def categories(summary):
    return [s.category for s in summary.scores.scores]


def test_the_category_average_is_computed_once_a_local_day(
    frozen_clock, trade, rate, stall, peer
):
    # given two shops of one category rated 5/5/5 and 3/3/3
    shop = stall["shop"]
    rate(trade(), "good", (5, 5, 5))
    rate(trade(sku=peer), "good", (3, 3, 3))
    # when the daily job runs (18:00 in Shanghai), twice
    assert run_job(JOB) == 1
    assert run_job(JOB) == 0
    # then one row holds the category's totals for the local day
    assert list(
        CategoryScoreDay.objects.values_list(
            "category_id",
            "day",
            "ratings",
            "description_sum",
            "service_sum",
            "logistics_sum",
        )
    ) == [(stall["category"].pk, dt.date(2026, 11, 11), 2, 8, 8, 8)]
    # when the peer gets a 1/1/1 later that day
    rate(trade(sku=peer), "bad", (1, 1, 1))
    # then today's comparison still uses the day's figure: 4.00, shop +25 %
    summary = selectors.credit_summary(shop.pk)
    assert categories(summary) == [Decimal("4.00")] * 3
    assert [s.diff_percent for s in summary.scores.scores] == [Decimal("25.00")] * 3
    # the next local day (00:00 in Shanghai) yesterday's row serves until
    # the job has run, then the new day's row counts the late rating
    frozen_clock.advance(hours=6)
    assert categories(selectors.credit_summary(shop.pk)) == [Decimal("4.00")] * 3
    assert run_job(JOB) == 1
    assert categories(selectors.credit_summary(shop.pk)) == [Decimal("3.00")] * 3


def test_without_a_row_the_average_is_computed_live(trade, rate, stall, peer):
    rate(trade(), "good", (5, 4, 3))
    rate(trade(sku=peer), "good", (3, 4, 5))
    assert (
        categories(selectors.credit_summary(stall["shop"].pk)) == [Decimal("4.00")] * 3
    )
    assert CategoryScoreDay.objects.count() == 0


def test_the_summary_is_three_queries_and_agrees_with_the_parts(
    frozen_clock, trade, rate, stall, peer, django_assert_num_queries
):
    shop = stall["shop"]
    rate(trade(), "good", (5, 4, 3))
    rate(trade(), "bad", (1, 2, 3))
    rate(trade(sku=peer), "neutral", (4, 4, 4))
    run_job(JOB)
    with django_assert_num_queries(3):
        summary = selectors.credit_summary(shop.pk)
    assert summary.credit == selectors.shop_credit(shop.pk)
    assert summary.scores == selectors.detailed_scores(shop.pk)
    assert (summary.credit.points, summary.credit.good, summary.credit.bad) == (
        0,
        1,
        1,
    )
    assert [s.shop for s in summary.scores.scores] == [
        Decimal("3.00"),
        Decimal("3.00"),
        Decimal("3.00"),
    ]
    assert categories(summary) == [Decimal("3.33"), Decimal("3.33"), Decimal("3.33")]


def test_rows_older_than_a_week_are_dropped(frozen_clock, trade, rate, stall):
    rate(trade(), "good", (5, 5, 5))
    run_job(JOB)
    frozen_clock.advance(days=8)
    assert run_job(JOB) == 1
    assert list(CategoryScoreDay.objects.values_list("day", flat=True)) == [
        dt.date(2026, 11, 19)
    ]
