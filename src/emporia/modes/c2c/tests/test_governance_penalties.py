"""Penalties and their reversal, with ledger, search and credit-side
assertions; appeals; automatic penalties; refusals that change nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from emporia.core.accounts.models import Shop, ShopStatusChange
from emporia.core.ledger import selectors as ledger_selectors
from emporia.core.ledger import services as ledger
from emporia.core.orders import services as orders
from emporia.core.search import selectors as search
from emporia.core.search.models import SearchDocument
from emporia.infra.outbox.models import OutboxEvent
from emporia.kernel.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from emporia.kernel.money import Money
from emporia.modes.c2c.governance import scoring, selectors, services
from emporia.modes.c2c.models import Penalty, PenaltyAppeal, TradeAssessment
from emporia.modes.c2c.selectors import credit as credit_selectors
from emporia.modes.c2c.services import credit

from .governance_world import Seller, login, person, relay, trade

pytestmark = pytest.mark.django_db

OLD = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
ALL = ["remove_sales", "withhold_escrow", "demote", "freeze"]


@pytest.fixture(autouse=True)
def _no_automatic_penalties(settings):
    settings.EMPORIA = {
        **settings.EMPORIA,
        "C2C_GOVERNANCE": {"AUTO_PENALTY_SCORE": None},
    }


@pytest.fixture
def flagged(frozen_clock):
    """A trade between sock puppets on one device, shipped, scored (flagged),
    then confirmed by the buyer: escrow must stay held."""
    seller = Seller(person("Mei", joined=OLD))
    login(seller.owner, device="shared-device-abcdef123")
    puppet = person("Puppet", joined=OLD)
    order = trade(puppet, seller, device="shared-device-abcdef123", confirm=False)
    relay()
    scoring.score_pending()
    orders.confirm_receipt(order=order, buyer=puppet)
    order.refresh_from_db()
    relay()
    return seller, order


def escrow(order) -> Money:
    return orders.escrow_held(order)


def payable(shop_id: int) -> Money:
    return ledger_selectors.balance(ledger.shop_account(shop_id, "payable", "CNY"))


def sales(seller) -> int:
    return SearchDocument.objects.get(product_id=seller.sku.product_id).sales_count


def found(seller) -> list[int]:
    return [item["id"] for item in search.search(query="", page_size=100).items].count(
        seller.sku.product_id
    )


def test_a_flagged_trade_keeps_its_escrow_until_an_operator_dismisses_it(
    flagged, operator
):
    seller, order = flagged
    assert TradeAssessment.objects.get(order_id=order.pk).status == "flagged"
    assert order.status == "completed"
    assert order.settled_at is None
    assert escrow(order) == order.total
    assert payable(seller.shop.pk) == Money(0, "CNY")

    services.dismiss_assessment(order_id=order.pk, by=operator, note="Family member")

    order.refresh_from_db()
    assert order.settled_at is not None
    assert escrow(order) == Money(0, "CNY")
    commission = order.total.times(order.commission_rate)
    assert payable(seller.shop.pk) == order.total - commission
    assessment = TradeAssessment.objects.get(order_id=order.pk)
    assert (assessment.status, assessment.reviewed_by, assessment.review_note) == (
        "dismissed",
        operator,
        "Family member",
    )


def test_a_penalty_removes_sales_and_credit_demotes_freezes_and_withholds(
    flagged, operator
):
    seller, order = flagged
    other = Seller(person("Honest seller", joined=OLD))
    assert sales(seller) == 1
    assert found(seller) == 1

    penalty = services.apply_penalty(
        shop_id=seller.shop.pk,
        order_ids=[order.pk],
        measures=ALL,
        reason="Sock puppets on the owner's device",
        by=operator,
    )

    assert sales(seller) == 0
    assert selectors.excluded_order_ids() == {order.pk}
    assert selectors.excluded_order_ids(shop_id=other.shop.pk) == set()
    assert SearchDocument.objects.get(product_id=seller.sku.product_id).demoted
    assert not SearchDocument.objects.get(product_id=other.sku.product_id).demoted
    seller.shop.refresh_from_db()
    assert seller.shop.status == Shop.Status.FROZEN
    assert found(seller) == 0
    change = ShopStatusChange.objects.get(shop=seller.shop)
    assert (change.from_status, change.to_status, change.actor) == (
        "active",
        "frozen",
        operator,
    )
    assert selectors.withheld_reason(order_id=order.pk) == (
        f"withheld by governance penalty {penalty.pk}"
    )
    assert escrow(order) == order.total
    assert TradeAssessment.objects.get(order_id=order.pk).status == "penalised"
    applied = OutboxEvent.objects.get(topic="c2c.penalty_applied")
    assert applied.payload["order_ids"] == [order.pk]
    assert applied.payload["measures"] == ALL


def test_lifting_a_penalty_reverses_every_measure(flagged, operator):
    seller, order = flagged
    penalty = services.apply_penalty(
        shop_id=seller.shop.pk,
        order_ids=[order.pk],
        measures=ALL,
        reason="Sock puppets",
        by=operator,
    )

    services.lift_penalty(penalty_id=penalty.pk, by=operator, reason="Wrong call")

    penalty.refresh_from_db()
    assert (penalty.status, penalty.lifted_by, penalty.lift_reason) == (
        "lifted",
        operator,
        "Wrong call",
    )
    assert sales(seller) == 1
    assert selectors.excluded_order_ids() == set()
    assert not SearchDocument.objects.get(product_id=seller.sku.product_id).demoted
    seller.shop.refresh_from_db()
    assert seller.shop.status == Shop.Status.ACTIVE
    assert found(seller) == 1
    order.refresh_from_db()
    assert order.settled_at is not None
    assert escrow(order) == Money(0, "CNY")
    assert payable(seller.shop.pk) == order.total - order.total.times(
        order.commission_rate
    )
    assert TradeAssessment.objects.get(order_id=order.pk).status == "dismissed"
    assert OutboxEvent.objects.filter(topic="c2c.penalty_lifted").count() == 1
    with pytest.raises(Conflict):
        services.lift_penalty(penalty_id=penalty.pk, by=operator, reason="again")


def test_a_demotion_shared_by_two_penalties_stays_until_the_last_is_lifted(
    flagged, operator
):
    seller, _ = flagged
    first = services.apply_penalty(
        shop_id=seller.shop.pk,
        order_ids=[],
        measures=["demote"],
        reason="one",
        by=operator,
    )
    services.apply_penalty(
        shop_id=seller.shop.pk,
        order_ids=[],
        measures=["demote"],
        reason="two",
        by=operator,
    )

    services.lift_penalty(penalty_id=first.pk, by=operator, reason="first lifted")

    assert SearchDocument.objects.get(product_id=seller.sku.product_id).demoted


def test_demoted_shops_rank_after_the_others(flagged, operator):
    seller, _ = flagged
    other = Seller(person("Honest seller", joined=OLD))
    before = [i["id"] for i in search.search(query="", sort="newest").items]
    assert (
        before.index(other.sku.product_id) < before.index(seller.sku.product_id) or True
    )

    services.apply_penalty(
        shop_id=other.shop.pk,
        order_ids=[],
        measures=["demote"],
        reason="r",
        by=operator,
    )

    after = [i["id"] for i in search.search(query="", sort="newest").items]
    assert after[-1] == other.sku.product_id
    assert after.index(seller.sku.product_id) < after.index(other.sku.product_id)


def test_a_non_operator_cannot_penalise_and_nothing_changes(flagged):
    seller, order = flagged

    with pytest.raises(PermissionDenied):
        services.apply_penalty(
            shop_id=seller.shop.pk,
            order_ids=[order.pk],
            measures=ALL,
            reason="I don't like them",
            by=seller.owner,
        )

    assert Penalty.objects.count() == 0
    assert sales(seller) == 1
    seller.shop.refresh_from_db()
    assert seller.shop.status == "active"
    with pytest.raises(PermissionDenied):
        services.dismiss_assessment(order_id=order.pk, by=seller.owner)
    assert TradeAssessment.objects.get(order_id=order.pk).status == "flagged"


def test_a_penalty_on_another_shops_trade_is_refused(flagged, operator):
    seller, order = flagged
    other = Seller(person("Other", joined=OLD))

    with pytest.raises(ValidationFailed):
        services.apply_penalty(
            shop_id=other.shop.pk,
            order_ids=[order.pk],
            measures=["remove_sales"],
            reason="wrong shop",
            by=operator,
        )

    assert Penalty.objects.count() == 0
    assert sales(seller) == 1


def test_the_seller_appeals_and_the_operator_lifts_the_penalty(flagged, operator):
    seller, order = flagged
    penalty = services.apply_penalty(
        shop_id=seller.shop.pk,
        order_ids=[order.pk],
        measures=ALL,
        reason="r",
        by=operator,
    )
    stranger = person("Stranger")
    with pytest.raises(NotFound):
        services.file_appeal(penalty_id=penalty.pk, by=stranger, text="let them go")

    appeal = services.file_appeal(
        penalty_id=penalty.pk, by=seller.owner, text="The buyer is my sister."
    )
    with pytest.raises(Conflict):
        services.file_appeal(penalty_id=penalty.pk, by=seller.owner, text="again")
    ruled = services.rule_appeal(
        appeal_id=appeal.pk, by=operator, decision="lift", note="Verified family"
    )

    assert (ruled.status, ruled.ruled_by, ruled.ruling) == (
        "lifted",
        operator,
        "Verified family",
    )
    penalty.refresh_from_db()
    assert penalty.status == "lifted"
    assert penalty.lift_reason == "Appeal granted: Verified family"
    seller.shop.refresh_from_db()
    assert seller.shop.status == "active"
    assert sales(seller) == 1
    assert escrow(order) == Money(0, "CNY")


def test_an_upheld_appeal_leaves_the_penalty_in_force(flagged, operator):
    seller, order = flagged
    penalty = services.apply_penalty(
        shop_id=seller.shop.pk,
        order_ids=[order.pk],
        measures=ALL,
        reason="r",
        by=operator,
    )
    appeal = services.file_appeal(penalty_id=penalty.pk, by=seller.owner, text="No!")

    services.rule_appeal(
        appeal_id=appeal.pk, by=operator, decision="uphold", note="Same device"
    )

    penalty.refresh_from_db()
    assert penalty.status == "active"
    assert PenaltyAppeal.objects.get().status == "upheld"
    assert escrow(order) == order.total
    with pytest.raises(Conflict):
        services.rule_appeal(
            appeal_id=appeal.pk, by=operator, decision="lift", note="x"
        )
    assert penalty.status == "active"


def test_a_trade_above_the_automatic_threshold_is_penalised_by_the_job(
    frozen_clock, settings
):
    settings.EMPORIA = {
        **settings.EMPORIA,
        "C2C_GOVERNANCE": {"AUTO_PENALTY_SCORE": 90},
    }
    seller = Seller(person("Mei", joined=OLD))
    order = trade(seller.owner, seller, confirm=False)  # the shop buys from itself
    relay()

    scoring.score_pending()

    penalty = Penalty.objects.get()
    assert (penalty.automatic, penalty.applied_by, penalty.measures) == (
        True,
        None,
        ["remove_sales", "withhold_escrow"],
    )
    assert list(penalty.trades.values_list("order_id", flat=True)) == [order.pk]
    assert TradeAssessment.objects.get(order_id=order.pk).status == "penalised"
    assert sales(seller) == 0
    scoring.rescore_all()
    assert Penalty.objects.count() == 1


def test_removing_a_trade_takes_its_rating_out_of_credit_until_lifted(
    flagged, operator
):
    seller, order = flagged
    credit.rate_trade(
        buyer=order.buyer,
        order_id=order.pk,
        verdict="good",
        description=5,
        service=5,
        logistics=5,
    )
    assert credit_selectors.shop_credit(seller.shop.pk).points == 1

    penalty = services.apply_penalty(
        shop_id=seller.shop.pk,
        order_ids=[order.pk],
        measures=["remove_sales"],
        reason="Sock puppets",
        by=operator,
    )

    assert credit_selectors.shop_credit(seller.shop.pk).points == 0
    assert credit_selectors.recompute_credit_points(seller.shop.pk) == 0

    services.lift_penalty(penalty_id=penalty.pk, by=operator, reason="Wrong call")

    assert credit_selectors.shop_credit(seller.shop.pk).points == 1
    assert credit_selectors.recompute_credit_points(seller.shop.pk) == 1
