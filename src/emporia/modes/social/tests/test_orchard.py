"""The orchard game — 多多果园: tasks, caps, server-side timing, stages, the prize."""

import pytest

from emporia.core.ledger import selectors as ledger
from emporia.core.orders.models import Order
from emporia.core.payments import services as payments
from emporia.infra.outbox.services import relay_pending
from emporia.kernel.errors import Conflict, NotFound
from emporia.modes.social.models import Tree, WaterGrant
from emporia.modes.social.selectors import orchard as orchard_selectors
from emporia.modes.social.services import orchard

from .growth_helpers import complete, pay, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def prize(listed_sku):
    sku = listed_sku("25.00", quantity=5)
    return orchard.offer_prize(sku_id=sku.pk)


@pytest.fixture
def tree(buyer, prize, frozen_clock):
    return orchard.plant_tree(owner=buyer, prize_id=prize.pk)


def water(tree):
    tree.refresh_from_db()
    return tree.water


def test_one_growing_tree_per_buyer(buyer, prize, tree):
    with pytest.raises(Conflict):
        orchard.plant_tree(owner=buyer, prize_id=prize.pk)

    assert Tree.objects.filter(owner=buyer).count() == 1


def test_only_fruit_on_offer_can_be_planted(buyer, prize):
    orchard.offer_prize(sku_id=prize.sku_id, is_active=False)

    with pytest.raises(NotFound):
        orchard.plant_tree(owner=buyer, prize_id=prize.pk)

    assert not Tree.objects.exists()


def test_check_in_waters_once_a_day_and_a_new_day_resets(buyer, tree, frozen_clock):
    orchard.check_in(owner=buyer)

    with pytest.raises(Conflict) as refused:
        orchard.check_in(owner=buyer)

    assert refused.value.code == "task_done"
    assert water(tree) == 10
    assert WaterGrant.objects.count() == 1
    frozen_clock.advance(days=1)
    orchard.check_in(owner=buyer)
    assert water(tree) == 20
    assert list(WaterGrant.objects.values_list("task", "amount", "slot")) == [
        ("check_in", 10, 1),
        ("check_in", 10, 1),
    ]


def test_browsing_cannot_be_claimed_before_thirty_seconds(buyer, tree, frozen_clock):
    visit = orchard.start_browse(owner=buyer)
    frozen_clock.advance(seconds=29)

    with pytest.raises(Conflict) as refused:
        orchard.claim_browse(owner=buyer, token=visit.token)

    assert refused.value.code == "too_early"
    assert refused.value.details["seconds_left"] == 1
    assert water(tree) == 0
    frozen_clock.advance(seconds=1)
    orchard.claim_browse(owner=buyer, token=visit.token)
    assert water(tree) == 15


def test_browsing_is_claimed_once_a_day(buyer, tree, frozen_clock):
    visit = orchard.start_browse(owner=buyer)
    second = orchard.start_browse(owner=buyer)
    frozen_clock.advance(seconds=31)
    orchard.claim_browse(owner=buyer, token=visit.token)

    with pytest.raises(Conflict):
        orchard.claim_browse(owner=buyer, token=visit.token)
    with pytest.raises(Conflict):
        orchard.claim_browse(owner=buyer, token=second.token)
    with pytest.raises(Conflict):
        orchard.start_browse(owner=buyer)

    assert water(tree) == 15
    assert WaterGrant.objects.filter(task="browse").count() == 1


def test_another_buyers_browse_token_is_not_found(
    buyer, tree, user_factory, frozen_clock
):
    visit = orchard.start_browse(owner=buyer)
    frozen_clock.advance(seconds=40)

    with pytest.raises(NotFound):
        orchard.claim_browse(owner=user_factory(), token=visit.token)

    assert water(tree) == 0


def test_share_is_capped_per_day(buyer, tree):
    for _ in range(3):
        orchard.claim_share(owner=buyer)

    with pytest.raises(Conflict):
        orchard.claim_share(owner=buyer)

    assert water(tree) == 15


def test_the_daily_total_caps_all_tasks(buyer, tree, settings):
    settings.EMPORIA = {**settings.EMPORIA, "SOCIAL_ORCHARD": {"daily_water_cap": 22}}
    orchard.check_in(owner=buyer)
    orchard.claim_share(owner=buyer)
    orchard.claim_share(owner=buyer)  # 10 + 5 + 5 = 20: two left today

    last = orchard.claim_share(owner=buyer)

    assert last.grant.amount == 2
    with pytest.raises(Conflict) as refused:
        orchard.grant_water(owner_id=buyer.pk, task="invite")
    assert refused.value.code == "daily_cap"
    assert water(tree) == 22


def test_the_tree_grows_through_its_stages_to_ripe(buyer, tree, settings):
    settings.EMPORIA = {
        **settings.EMPORIA,
        "SOCIAL_ORCHARD": {
            "stages": [
                ("seed", 0),
                ("sprout", 10),
                ("sapling", 20),
                ("flowering", 25),
                ("fruiting", 30),
                ("ripe", 35),
            ]
        },
    }
    seen = [orchard_selectors.orchard_page(user=buyer).tree.stage]

    for claim in [orchard.check_in, orchard.claim_share, orchard.claim_share]:
        claim(owner=buyer)
        seen.append(orchard_selectors.orchard_page(user=buyer).tree.stage)
    orchard.grant_water(owner_id=buyer.pk, task="invite")
    page = orchard_selectors.orchard_page(user=buyer)

    assert seen == ["seed", "sprout", "sprout", "sapling"]
    assert (page.tree.stage, page.tree.water, page.tree.ripe, page.tree.percent) == (
        "ripe",
        35,
        True,
        100,
    )
    with pytest.raises(Conflict) as refused:
        orchard.claim_share(owner=buyer)
    assert refused.value.code == "tree_ripe"


def test_no_tree_no_water(buyer):
    with pytest.raises(Conflict) as refused:
        orchard.check_in(owner=buyer)

    assert refused.value.code == "no_tree"
    assert not WaterGrant.objects.exists()


def test_a_paid_order_gives_buy_water_once_a_day(
    buyer, tree, listed_sku, address_factory, sandbox
):
    sku = listed_sku("12.00")
    address = address_factory(user=buyer)
    for _ in range(2):
        _, payment = place(buyer, sku, address=address)
        pay(sandbox, payment)
    relay_pending()

    assert list(WaterGrant.objects.values_list("task", "amount")) == [("buy", 30)]
    assert water(tree) == 30


def test_an_order_paid_before_the_tree_was_planted_gives_no_water(
    buyer, prize, listed_sku, address_factory, sandbox, frozen_clock
):
    sku = listed_sku("12.00")
    _, payment = place(buyer, sku, address=address_factory(user=buyer))
    pay(sandbox, payment)
    frozen_clock.advance(minutes=5)
    tree = orchard.plant_tree(owner=buyer, prize_id=prize.pk)

    relay_pending()  # the paid event is delivered after planting

    assert not WaterGrant.objects.exists()
    assert water(tree) == 0


def test_buy_water_counts_on_the_day_the_order_was_paid(
    buyer, tree, listed_sku, address_factory, sandbox, frozen_clock
):
    sku = listed_sku("12.00")
    _, payment = place(buyer, sku, address=address_factory(user=buyer))
    pay(sandbox, payment)
    paid_day = orchard.local_day()
    frozen_clock.advance(days=2)

    relay_pending()

    assert list(WaterGrant.objects.values_list("task", "day")) == [("buy", paid_day)]


def ripen(tree):
    Tree.objects.filter(pk=tree.pk).update(water=orchard.ripe_water())


def test_a_ripe_tree_becomes_a_free_order_paid_by_marketing(
    buyer, tree, address_factory
):
    ripen(tree)
    address = address_factory(user=buyer)

    order = orchard.claim_prize(owner=buyer, tree_id=tree.pk, address_id=address.pk)

    order.refresh_from_db()
    assert order.status == "paid"
    assert (order.items_minor, order.shipping_minor) == (2500, 800)
    assert (order.discount_minor, order.total_minor) == (3300, 0)
    assert order.source == "social.orchard"
    assert ledger.balance("platform:marketing:CNY").minor == 3300
    assert ledger.balance(f"shop:{order.shop_id}:escrow:CNY").minor == 3300
    assert ledger.balance("platform:psp_clearing:CNY").minor == 0
    tree.refresh_from_db()
    assert (tree.status, tree.prize_order_id) == ("claimed", order.pk)


def test_the_shop_is_paid_the_prize_through_normal_settlement(
    buyer, tree, address_factory
):
    ripen(tree)
    order = orchard.claim_prize(
        owner=buyer, tree_id=tree.pk, address_id=address_factory(user=buyer).pk
    )

    complete(order)

    shop = order.shop_id
    assert ledger.balance(f"shop:{shop}:escrow:CNY").minor == 0
    assert ledger.balance(f"shop:{shop}:payable:CNY").minor == 3135
    assert ledger.balance("platform:commission:CNY").minor == 165
    assert ledger.balance("platform:marketing:CNY").minor == 3300


def test_a_tree_is_claimed_once_then_a_new_one_can_be_planted(
    buyer, tree, prize, address_factory
):
    ripen(tree)
    address = address_factory(user=buyer)
    orchard.claim_prize(owner=buyer, tree_id=tree.pk, address_id=address.pk)

    with pytest.raises(Conflict):
        orchard.claim_prize(owner=buyer, tree_id=tree.pk, address_id=address.pk)

    assert Order.objects.count() == 1
    again = orchard.plant_tree(owner=buyer, prize_id=prize.pk)
    assert again.water == 0


def test_an_unripe_tree_cannot_be_claimed(buyer, tree, address_factory):
    with pytest.raises(Conflict):
        orchard.claim_prize(
            owner=buyer, tree_id=tree.pk, address_id=address_factory(user=buyer).pk
        )

    assert not Order.objects.exists()
    assert ledger.balance("platform:marketing:CNY").minor == 0


def test_another_buyers_tree_cannot_be_claimed(tree, user_factory, address_factory):
    ripen(tree)
    thief = user_factory()

    with pytest.raises(NotFound):
        orchard.claim_prize(
            owner=thief, tree_id=tree.pk, address_id=address_factory(user=thief).pk
        )

    assert not Order.objects.exists()
    tree.refresh_from_db()
    assert tree.status == "growing"


def test_a_refunded_prize_order_gives_marketing_its_money_back(
    buyer, tree, address_factory
):
    # Given a prize order the shop delivered and was paid for
    ripen(tree)
    order = orchard.claim_prize(
        owner=buyer, tree_id=tree.pk, address_id=address_factory(user=buyer).pk
    )
    complete(order)

    # When the operator takes it back in full
    payments.refund_order(order=order, reason="Fruit arrived spoiled", key="spoiled")

    # Then every account involved is back where it started
    order.refresh_from_db()
    shop = order.shop_id
    assert order.status == "refunded"
    assert {
        code: ledger.balance(code).minor
        for code in (
            "platform:marketing:CNY",
            "platform:commission:CNY",
            "platform:psp_clearing:CNY",
            f"shop:{shop}:escrow:CNY",
            f"shop:{shop}:payable:CNY",
        )
    } == {
        "platform:marketing:CNY": 0,
        "platform:commission:CNY": 0,
        "platform:psp_clearing:CNY": 0,
        f"shop:{shop}:escrow:CNY": 0,
        f"shop:{shop}:payable:CNY": 0,
    }
