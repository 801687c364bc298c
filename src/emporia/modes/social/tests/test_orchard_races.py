"""Scripted farming: many claims at once from real threads get at most the cap
(SQLite and PostgreSQL)."""

import pytest

from emporia.kernel import clock as kclock
from emporia.kernel.errors import Conflict
from emporia.modes.social.models import Tree, WaterGrant
from emporia.modes.social.services import orchard
from tests.concurrency import race

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def planted(buyer, listed_sku, frozen_clock):
    prize = orchard.offer_prize(sku_id=listed_sku("25.00").pk)
    return orchard.plant_tree(owner=buyer, prize_id=prize.pk)


def test_twelve_check_ins_at_once_water_once(buyer, planted, frozen_clock):
    def work(i):
        with kclock.use(frozen_clock):
            orchard.check_in(owner=buyer)
        return "watered"

    outcomes = race(12, work, expected=(Conflict,))

    assert sorted(outcomes) == ["Conflict"] * 11 + ["watered"]
    assert WaterGrant.objects.count() == 1
    assert Tree.objects.get().water == 10


def test_twelve_shares_at_once_get_the_cap_of_three(buyer, planted, frozen_clock):
    def work(i):
        with kclock.use(frozen_clock):
            orchard.claim_share(owner=buyer)
        return "watered"

    outcomes = race(12, work, expected=(Conflict,))

    assert sorted(outcomes) == ["Conflict"] * 9 + ["watered"] * 3
    assert sorted(WaterGrant.objects.values_list("slot", flat=True)) == [1, 2, 3]
    assert Tree.objects.get().water == 15


def test_one_browse_token_claimed_by_eight_threads_waters_once(
    buyer, planted, frozen_clock
):
    visit = orchard.start_browse(owner=buyer)
    frozen_clock.advance(seconds=30)

    def work(i):
        with kclock.use(frozen_clock):
            orchard.claim_browse(owner=buyer, token=visit.token)
        return "watered"

    outcomes = race(8, work, expected=(Conflict,))

    assert sorted(outcomes) == ["Conflict"] * 7 + ["watered"]
    assert Tree.objects.get().water == 15
