"""The demo a newcomer sees after `make run`: every order state, books that
balance, stock that adds up, search that finds Chinese words — and loading it
again changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum

from emporia import demo
from emporia.core.accounts.models import Shop
from emporia.core.catalog.models import Product, Sku
from emporia.core.inventory.models import Location, StockItem, StockMovement
from emporia.core.ledger import selectors as ledger
from emporia.core.orders import services as order_services
from emporia.core.orders.models import Order
from emporia.core.orders.states import OrderStatus
from emporia.core.payments.models import Payout
from emporia.core.reviews.models import ProductReview, ShopReview
from emporia.core.search import selectors as search
from emporia.infra.outbox.models import OutboxEvent
from emporia.kernel import clock
from emporia.modes.c2c.selectors import credit
from emporia.modes.social.models import InviteReward, Tree
from emporia.modes.social.services import orchard

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module, with every progress report it
    made. It lives in a transaction rolled back after the module's last test;
    each test runs in a savepoint inside it."""
    reports = []
    with django_db_blocker.unblock(), transaction.atomic():
        summary = demo.seed(progress=lambda *report: reports.append(report))
        yield summary, reports
        transaction.set_rollback(True)


def test_the_demo_has_orders_in_every_state(loaded):
    summary, _ = loaded

    statuses = set(Order.objects.values_list("status", flat=True))

    assert statuses == set(OrderStatus.values)
    # The summary covers the core story's shops; mode demos add their own.
    story = Order.objects.filter(shop__name__in=summary["shops"])
    assert summary["orders_by_status"] == {
        status: story.filter(status=status).count()
        for status in sorted(set(story.values_list("status", flat=True)))
    }
    assert Order.objects.filter(status="on_hold", hold_reason="approval_pending")
    assert all(
        order.history.filter(reason="Not paid in time").exists()
        for order in Order.objects.filter(status="cancelled")
    )


def test_the_demo_books_balance_and_stock_adds_up(loaded):
    balance = ledger.trial_balance()

    assert balance["CNY"]["debit"] == balance["CNY"]["credit"] > 0
    for item in StockItem.objects.all():
        moved = StockMovement.objects.filter(stock_item=item).aggregate(s=Sum("delta"))[
            "s"
        ]
        assert moved == item.on_hand, item.sku.code
        assert 0 <= item.reserved <= item.on_hand
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()


def test_completed_orders_are_reviewed_and_settled(loaded):
    completed = Order.objects.filter(status="completed")

    assert completed.count() >= 10
    for order in completed:
        assert ShopReview.objects.filter(order=order).exists()
        assert ProductReview.objects.filter(order_line__order=order).count() == (
            order.lines.count()
        )
        assert order.settled_at is not None
        assert order_services.escrow_held(order).minor == 0


def test_the_demo_seller_has_been_paid_out(loaded):
    summary, _ = loaded
    seller_shop = Shop.objects.get(members__user__email=demo.SELLER_EMAIL)

    money = ledger.shop_money(seller_shop.pk, "CNY")

    assert Payout.objects.filter(shop=seller_shop).count() == 1
    assert money.withdrawn.minor > 0
    assert money.available.minor >= 0
    assert summary["created"]["payouts"] == Payout.objects.count()


def test_the_catalogue_spans_shops_categories_and_listing_states(loaded):
    summary, _ = loaded

    assert sorted(summary["shops"].values()) == [
        "enterprise",
        "enterprise",
        "enterprise",
        "individual",
        "individual",
        "self_operated",
    ]
    assert Location.objects.filter(kind="overseas", country="JP").count() == 1
    story_products = Product.objects.filter(shop__name__in=summary["shops"])
    assert story_products.count() == summary["created"]["products"] == 40
    assert (
        Sku.objects.filter(product__shop__name__in=summary["shops"]).count()
        == summary["created"]["SKUs"]
    )
    assert Product.objects.filter(status="draft").count() == 1
    assert Product.objects.filter(status="delisted").count() == 1
    assert StockItem.objects.filter(on_hand__lte=3, sku__product__status="listed")
    assert all("zh-hans" in p.names and "en" in p.names for p in Product.objects.all())


def test_chinese_search_finds_the_dresses(loaded):
    results = search.search(query="连衣裙")

    assert results.total >= 4
    assert all("连衣裙" in item["name"] for item in results.items)


def test_orders_are_spread_over_the_last_month(loaded):
    now = clock.now()
    placed = list(Order.objects.values_list("placed_at", flat=True))

    assert min(placed) < now - dt.timedelta(days=20)
    assert max(placed) <= now
    assert len({p.date() for p in placed}) >= 15


def test_the_demo_logins_work_and_progress_reaches_the_end(loaded):
    summary, reports = loaded
    User = get_user_model()

    assert {login["email"] for login in summary["logins"]} == {
        demo.ADMIN_EMAIL,
        demo.SELLER_EMAIL,
        demo.BUYER_EMAIL,
    }
    assert User.objects.get(email=demo.ADMIN_EMAIL).check_password(demo.ADMIN_PASSWORD)
    for email in (demo.SELLER_EMAIL, demo.BUYER_EMAIL):
        assert User.objects.get(email=email).check_password(demo.DEMO_PASSWORD)
    done = [r[1] for r in reports]
    assert done == sorted(done)
    assert reports[-1][1] == reports[-1][2]


def test_loading_the_demo_again_adds_nothing(loaded):
    counts = (Order.objects.count(), Product.objects.count(), Payout.objects.count())
    users = get_user_model().objects.count()

    again = demo.seed()
    if_empty = demo.seed(if_empty=True)

    assert again["skipped"] is True
    assert if_empty == {"skipped": True, "reason": "the database already has users"}
    assert (
        Order.objects.count(),
        Product.objects.count(),
        Payout.objects.count(),
    ) == counts
    assert get_user_model().objects.count() == users


def test_the_demo_has_invite_trees_and_orchards(loaded):
    outcomes = sorted(InviteReward.objects.values_list("outcome", "reason"))
    assert outcomes == [
        ("blocked", "same_device"),
        ("blocked", "self_referral"),
        ("rewarded", ""),
        ("rewarded", ""),
    ]
    stages = {orchard.stage_of(t.water) for t in Tree.objects.filter(status="growing")}
    assert len(stages) >= 3
    claimed = Tree.objects.get(status="claimed")
    assert claimed.prize_order.total_minor == 0
    assert claimed.prize_order.discount_minor > 0


def test_the_c2c_tea_shops_share_a_category_so_the_comparison_is_real(loaded):
    apo = Shop.objects.get(members__user__email="apo-tea@emporia.test")
    farmer = Shop.objects.get(members__user__email="tea-farmer@emporia.test")
    mine, theirs = credit.detailed_scores(apo.pk), credit.detailed_scores(farmer.pk)
    assert mine.category_id == theirs.category_id is not None
    assert min(mine.ratings, theirs.ratings) >= 5
    assert all(s.diff_percent for s in mine.scores + theirs.scores)
    assert all(s.diff_percent > 0 for s in mine.scores)  # the better tea shop
