"""Two ratings of one buyer's trades of the same day given at once: exactly
one earns the day's point (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from emporia.kernel.errors import Conflict
from emporia.modes.c2c.models import TradeRating
from emporia.modes.c2c.selectors import credit as selectors
from emporia.modes.c2c.services import credit
from tests.concurrency import race

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_same_day_ratings_racing_score_once(frozen_clock, trade, stall, buyer):
    orders = [trade(buyer=buyer) for _ in range(4)]

    def work(i):
        return credit.rate_trade(
            buyer=buyer,
            order_id=orders[i].pk,
            verdict="good",
            description=5,
            service=5,
            logistics=5,
        ).points

    outcomes = race(4, work)
    assert sorted(outcomes) == [0, 0, 0, 1]
    assert TradeRating.objects.count() == 4
    assert TradeRating.objects.filter(scores=True).count() == 1
    assert selectors.shop_credit(stall["shop"].pk).points == 1


def test_racing_the_same_order_rates_it_once(frozen_clock, trade, stall):
    order = trade()

    def work(i):
        return credit.rate_trade(
            buyer=order.buyer,
            order_id=order.pk,
            verdict="good",
            description=5,
            service=5,
            logistics=5,
        ).pk

    outcomes = race(3, work, expected=(Conflict,))
    assert sorted(outcomes, key=str).count("Conflict") == 2
    assert TradeRating.objects.count() == 1
