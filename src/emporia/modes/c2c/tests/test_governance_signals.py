"""Each fake-trade signal with a worked example, built through the core
services (checkout with a client, sandbox payment with a card, shipment,
receipt), then scored by the job the way production scores them."""

from __future__ import annotations

import datetime as dt

import pytest

from emporia.core.reviews import services as reviews
from emporia.modes.c2c.governance import detectors, scoring
from emporia.modes.c2c.models import TradeAssessment

from .governance_world import Seller, address, login, person, relay, trade

pytestmark = pytest.mark.django_db

OLD = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _no_automatic_penalties(settings):
    settings.EMPORIA = {
        **settings.EMPORIA,
        "C2C_GOVERNANCE": {"AUTO_PENALTY_SCORE": None},
    }


def score(order) -> TradeAssessment | None:
    relay()
    scoring.score_pending()
    return TradeAssessment.objects.filter(order_id=order.pk).first()


def test_noisy_or_combines_weights_into_0_to_100():
    assert detectors.combine([]) == 0
    assert detectors.combine([60]) == 60
    assert detectors.combine([20, 20]) == 36  # 1 − 0.8 × 0.8
    assert detectors.combine([60, 50]) == 80  # 1 − 0.4 × 0.5
    assert detectors.combine([90, 60, 60, 50, 40, 35, 30, 20, 20]) == 100


def test_an_honest_trade_gets_no_assessment(frozen_clock):
    seller = Seller(person("Mei", joined=OLD))
    login(seller.owner, device="device-of-mei-0001", ip="10.0.0.1")
    buyer = person("Lin", joined=OLD)
    login(buyer, device="device-of-lin-0001", ip="10.0.0.2")

    order = trade(buyer, seller, device="device-of-lin-0001", ip="10.0.0.2")

    assert score(order) is None


def test_buyer_and_seller_on_one_device_is_a_flagged_trade_with_evidence(
    frozen_clock,
):
    seller = Seller(person("Mei", joined=OLD))
    login(seller.owner, device="shared-device-abcdef123", ip="10.0.0.1")
    frozen_clock.advance(hours=1)
    buyer = person("Puppet", joined=OLD)

    order = trade(buyer, seller, device="shared-device-abcdef123", ip="10.9.9.9")

    assessment = score(order)
    assert assessment.signals == ["shared_device"]
    assert assessment.score == 50
    assert assessment.status == "flagged"
    [evidence] = assessment.evidence
    assert evidence["text"] == (
        f"Buyer Puppet (#{buyer.pk}) and seller Mei (#{seller.owner.pk}) used the "
        "same device shared-dev… (buyer: checkout on 2026-11-11 11:00; seller: "
        "login on 2026-11-11 10:00)."
    )


def test_a_shared_ip_alone_is_weak_and_stays_clear(frozen_clock):
    seller = Seller(person("Mei", joined=OLD))
    login(seller.owner, device="device-of-mei-0001", ip="192.0.2.7")
    buyer = person("Campus", joined=OLD)

    order = trade(buyer, seller, device="device-of-campus-01", ip="192.0.2.7")

    assessment = score(order)
    assert (assessment.signals, assessment.score, assessment.status) == (
        ["shared_ip"],
        20,
        "clear",
    )
    assert "same IP address 192.0.2.7" in assessment.evidence[0]["text"]


def test_paying_with_the_sellers_card_is_a_shared_payment_account(frozen_clock):
    seller = Seller(person("Mei", joined=OLD))
    elsewhere = Seller(person("Other", joined=OLD))
    trade(seller.owner, elsewhere, card="4111 1111 1111 1111")  # Mei's own card
    buyer = person("Friend", joined=OLD)

    order = trade(buyer, seller, card="4111111111111111")

    assessment = score(order)
    assert assessment.signals == ["shared_payer"]
    assert assessment.score == 60
    text = assessment.evidence[0]["text"]
    assert text.startswith(f"Buyer Friend (#{buyer.pk}) paid with account sbx_pa_")
    assert f"which seller Mei (#{seller.owner.pk}) also paid with" in text


def test_shipping_to_the_sellers_own_address(frozen_clock):
    seller = Seller(person("Mei", joined=OLD))
    home = address(seller.owner, line1="文一西路 969 号 3 幢")
    buyer = person("Friend", joined=OLD)

    order = trade(buyer, seller, ship_to={**home, "recipient": "Friend"})

    assessment = score(order)
    assert (assessment.signals, assessment.score) == (["shared_address"], 40)
    assert assessment.evidence[0]["text"] == (
        "The order ships to 杭州市 文一西路 969 号 3 幢, an address seller "
        f"Mei (#{seller.owner.pk}) uses (address book, 2026-11-11 10:00)."
    )


def test_a_shop_buying_from_itself_is_a_self_trade(frozen_clock):
    seller = Seller(person("Mei", joined=OLD))

    order = trade(seller.owner, seller)

    assessment = score(order)
    assert (assessment.signals, assessment.score) == (["self_trade"], 90)
    assert "works for the shop (owner)" in assessment.evidence[0]["text"]


def test_a_ring_of_sellers_buying_from_one_another_is_found_with_its_cycle(
    frozen_clock,
):
    a, b, c = (Seller(person(n, joined=OLD)) for n in ("Ann", "Bo", "Cai"))
    for buyer, shop in ((a, b), (b, c), (c, a)):
        for _ in range(2):
            trade(buyer.owner, shop)
    honest = person("Honest", joined=OLD)
    honest_order = trade(honest, a)
    last = trade(a.owner, b)

    assessment = score(last)
    assert (assessment.signals, assessment.score) == (["ring"], 60)
    assert assessment.evidence[0]["text"] == (
        "Buyer and seller belong to a ring of 3 accounts trading among themselves: "
        "7 orders inside the ring, 100% of the ring's purchases; cycle "
        f"Ann (#{a.owner.pk}) → Bo (#{b.owner.pk}) → Cai (#{c.owner.pk}) → "
        f"Ann (#{a.owner.pk})."
    )
    ring_trades = TradeAssessment.objects.filter(signals__icontains="ring")
    assert ring_trades.count() == 7
    assert not TradeAssessment.objects.filter(order_id=honest_order.pk).exists()


def test_two_sellers_who_once_bought_from_each_other_are_no_ring(frozen_clock):
    a, b = Seller(person("Ann", joined=OLD)), Seller(person("Bo", joined=OLD))
    trade(a.owner, b)

    order = trade(b.owner, a)

    assert score(order) is None


def test_a_burst_of_orders_from_new_accounts(frozen_clock):
    seller = Seller(person("Mei", joined=OLD))
    regular = person("Regular", joined=OLD)
    trade(regular, seller)
    orders = []
    for n in range(5):
        frozen_clock.advance(hours=1)
        orders.append(trade(person(f"New{n}"), seller, ship=False))
    frozen_clock.advance(minutes=10)
    old_timer = trade(regular, seller, ship=False)

    relay()
    scoring.score_pending()

    last = TradeAssessment.objects.get(order_id=orders[-1].pk)
    assert (last.signals, last.score) == (["order_burst"], 30)
    assert last.evidence[0]["text"] == (
        "Burst of orders from new accounts: 5 orders in the 24 hours before this "
        "one came from accounts younger than 7 days, against a usual 0.0 orders "
        "a day; this buyer joined 0 h before ordering."
    )
    assert not TradeAssessment.objects.filter(order_id=orders[3].pk).exists()
    assert not TradeAssessment.objects.filter(order_id=old_timer.pk).exists()


def test_a_burst_of_five_star_reviews_from_new_accounts(frozen_clock):
    seller = Seller(person("Mei", joined=OLD))
    orders = [
        trade(person(f"New{n}"), seller, ship=True, confirm=True) for n in range(5)
    ]
    for order in orders:
        frozen_clock.advance(hours=1)
        reviews.review_shop(buyer=order.buyer, order_id=order.pk, rating=5, text="好")

    relay()
    scoring.score_pending()

    assessment = TradeAssessment.objects.get(order_id=orders[0].pk)
    assert "review_burst" in assessment.signals
    review = next(e for e in assessment.evidence if e["signal"] == "review_burst")
    assert review["text"] == (
        "Burst of five-star reviews from new accounts: this trade's five-star "
        "review is one of 5 the shop got from accounts younger than 7 days within "
        "24 hours."
    )


def test_a_near_zero_order_confirmed_minutes_after_shipping(frozen_clock):
    seller = Seller(person("Mei", joined=OLD), price="0.50")
    quick = trade(
        person("Quick", joined=OLD),
        seller,
        clock=frozen_clock,
        confirm_after=dt.timedelta(minutes=5),
    )
    slow = trade(
        person("Slow", joined=OLD),
        seller,
        clock=frozen_clock,
        confirm_after=dt.timedelta(days=2),
    )

    assessment = score(quick)
    assert (assessment.signals, assessment.score) == (["token_fast_confirm"], 35)
    assert assessment.evidence[0]["text"] == (
        "Near-zero value (CN¥0.50 of goods) and receipt confirmed 5 minutes after "
        "shipping."
    )
    assert not TradeAssessment.objects.filter(order_id=slow.pk).exists()


def test_signals_add_up_and_the_strongest_is_listed_first(frozen_clock):
    seller = Seller(person("Mei", joined=OLD))
    login(seller.owner, device="shared-device-abcdef123", ip="198.51.100.4")
    buyer = person("Puppet", joined=OLD)

    order = trade(buyer, seller, device="shared-device-abcdef123", ip="198.51.100.4")

    assessment = score(order)
    assert assessment.signals == ["shared_device", "shared_ip"]
    assert assessment.score == 60  # 1 − 0.5 × 0.8
