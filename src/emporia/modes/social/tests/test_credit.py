"""Spending invite credit at checkout — 余额抵扣: opt-in, partial and total use,
a split across shops without losing a cent, given back when an unpaid order
is cancelled, and never overspent by racing checkouts."""

import re
import uuid

import pytest
from django.test import Client

from emporia.core.checkout import services as checkout
from emporia.core.ledger import selectors as ledger
from emporia.core.ledger import services as ledger_services
from emporia.core.ledger.services import Leg
from emporia.core.orders import services as orders
from emporia.core.orders.models import Order
from emporia.core.payments import services as payments
from emporia.kernel.errors import Conflict
from emporia.kernel.money import Money
from emporia.modes.social.services.credit import credit_shares
from tests.concurrency import race

pytestmark = pytest.mark.django_db


def grant_credit(user, minor: int) -> str:
    """The buyer earned ``minor`` of credit (as an invite reward books it)."""
    code = f"user:{user.pk}:credit:CNY"
    ledger_services.post(
        key=f"test-credit:{uuid.uuid4().hex}",
        kind="invite_reward",
        legs=[
            Leg.debit("platform:marketing:CNY", Money(minor, "CNY")),
            Leg.credit(code, Money(minor, "CNY")),
        ],
    )
    return code


def place(buyer, skus, *, use_credit=True, key=None):
    placed = checkout.place_order(
        buyer=buyer,
        idempotency_key=key or uuid.uuid4().hex,
        lines=[checkout.WantedLine(sku.pk, 1) for sku in skus],
        address_id=buyer.default_address.pk,
        options={"use_credit": True} if use_credit else None,
    )
    return placed.checkout


def cny(minor):
    return Money(minor, "CNY")


def test_shares_split_by_what_each_order_costs_without_losing_a_cent():
    assert credit_shares(cny(5000), [cny(12000), cny(2790)]) == [cny(4057), cny(943)]
    assert credit_shares(cny(99999), [cny(12000), cny(2790)]) == [
        cny(12000),
        cny(2790),
    ]
    assert credit_shares(cny(0), [cny(100)]) == [cny(0)]
    assert credit_shares(cny(1), [cny(0), cny(3)]) == [cny(0), cny(1)]


def test_credit_pays_part_of_an_order_and_the_rest_is_paid_by_card(
    shopper, listed_sku, sandbox
):
    code = grant_credit(shopper, 3000)
    sku = listed_sku("120.00")

    done = place(shopper, [sku])

    order = done.orders.get()
    assert (order.discount_minor, order.total_minor) == (3000, 9000)
    assert done.payment.amount_minor == 9000
    assert ledger.balance(code).minor == 0
    sandbox.pay(done.payment)
    assert orders.escrow_held(order).minor == 12000  # the shop gets full price


def test_credit_covering_everything_makes_the_order_free_and_paid(shopper, listed_sku):
    code = grant_credit(shopper, 50000)

    done = place(shopper, [listed_sku("120.00")])

    order = done.orders.get()
    assert (order.discount_minor, order.total_minor, order.status) == (
        12000,
        0,
        "paid",
    )
    assert ledger.balance(code).minor == 38000


def test_without_the_opt_in_no_credit_is_used(shopper, listed_sku):
    code = grant_credit(shopper, 3000)

    done = place(shopper, [listed_sku("120.00")], use_credit=False)

    assert done.orders.get().discount_minor == 0
    assert ledger.balance(code).minor == 3000


def test_two_shops_share_the_credit_in_proportion_to_what_they_cost(
    shopper, listed_sku
):
    code = grant_credit(shopper, 5000)
    big, small = listed_sku("120.00"), listed_sku("19.90")  # two shops

    done = place(shopper, [big, small])

    by_shop = {o.shop_id: (o.discount_minor, o.total_minor) for o in done.orders.all()}
    # dues 120.00 (free shipping) and 27.90 (19.90 + 8.00): 5000 → 4057 + 943
    assert by_shop == {
        big.product.shop_id: (4057, 7943),
        small.product.shop_id: (943, 1847),
    }
    assert ledger.balance(code).minor == 0


def test_a_cancelled_unpaid_order_gives_the_credit_back(shopper, listed_sku):
    code = grant_credit(shopper, 3000)
    done = place(shopper, [listed_sku("120.00")])
    assert ledger.balance(code).minor == 0

    orders.cancel_unpaid_order(order=done.orders.get(), reason="Changed my mind")

    assert ledger.balance(code).minor == 3000


def test_a_paid_order_refunded_in_full_gives_the_credit_back(
    shopper, listed_sku, sandbox
):
    code = grant_credit(shopper, 3000)
    done = place(shopper, [listed_sku("120.00")])
    sandbox.pay(done.payment)

    payments.cancel_and_refund(order=done.orders.get(), reason="Out of stock")

    assert ledger.balance(code).minor == 3000
    assert ledger.balance("platform:psp_clearing:CNY").minor == 0


def test_a_balance_spent_meanwhile_refuses_the_checkout_and_changes_nothing(
    shopper, listed_sku
):
    # Given a quote made while the credit was there…
    code = grant_credit(shopper, 3000)
    sku = listed_sku("120.00")
    q = checkout.quote(
        buyer=shopper,
        lines=[checkout.WantedLine(sku.pk, 1)],
        address=shopper.default_address.as_snapshot(),
        options={"use_credit": True},
    )
    (funded,) = q.orders[0].funded
    assert funded == (code, cny(3000), "Invite credit")
    # …then spent by another order: the funding no longer covers it.
    order = place(shopper, [listed_sku("50.00")]).orders.get()
    assert ledger.balance(code).minor == 0
    with pytest.raises(Conflict):
        orders.fund_discount(
            order=order, account=code, amount=cny(1), label="again", seq=9
        )

    assert ledger.balance(code).minor == 0


def test_the_api_quotes_and_places_with_the_credit_flag(shopper, listed_sku, api_as):
    code = grant_credit(shopper, 3000)
    sku = listed_sku("120.00")
    api = api_as(shopper)
    body = {
        "lines": [{"sku_id": sku.pk, "quantity": 1}],
        "address_id": shopper.default_address.pk,
        "use_credit": True,
    }

    quoted = api.post("checkout/quote", body).json()
    placed = api.post("checkout/place", body, headers={"Idempotency-Key": "k1"})

    assert quoted["orders"][0]["funded_discounts"] == [
        {
            "label": "Invite credit",
            "amount": {"minor": 3000, "currency": "CNY", "amount": "30.00"},
        }
    ]
    assert quoted["total"]["amount"] == "90.00"
    assert placed.status_code == 201
    assert placed.json()["payment"]["amount"]["amount"] == "90.00"
    assert ledger.balance(code).minor == 0


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_racing_checkouts_cannot_overspend_the_credit(shopper, listed_sku):
    # Given 100.00 of credit and eight checkouts of a 100.00 order at once
    code = grant_credit(shopper, 10000)
    sku = listed_sku("100.00", quantity=20)

    def work(i):
        place(shopper, [sku])
        return "placed"

    outcomes = race(8, work, expected=(Conflict,))

    # Then the credit is spent once, exactly, and never below zero: a
    # checkout that quoted before the winner committed is refused; one that
    # quoted after pays by card.
    assert ledger.balance(code).minor == 0
    placed = Order.objects.filter(buyer=shopper)
    discounts = sorted(placed.values_list("discount_minor", flat=True), reverse=True)
    assert discounts == [10000] + [0] * (len(discounts) - 1)
    assert outcomes.count("placed") == placed.count()
    assert outcomes.count("placed") + outcomes.count("Conflict") == 8


def _page_client(user, language="en"):
    c = Client(HTTP_ACCEPT_LANGUAGE=language)
    c.force_login(user)
    return c


def test_the_checkout_page_offers_the_credit_and_places_with_it(shopper, listed_sku):
    code = grant_credit(shopper, 3000)
    sku = listed_sku("120.00")
    client = _page_client(shopper)
    client.post("/cart/add/", {"sku_id": sku.pk, "quantity": 1})

    plain = client.get("/checkout/").content.decode()
    chosen = client.get("/checkout/?use_credit=1").content.decode()

    assert "Use my credit (CN¥30.00 available)" in plain
    assert "Credit used for this order" not in plain
    assert "Place order and pay CN¥120.00" in plain
    assert "Credit used for this order: CN¥30.00" in chosen
    assert re.search(r"of which Invite credit</th><td[^>]*>−CN¥30.00<", chosen)
    assert "Place order and pay CN¥90.00" in chosen
    key = re.search(r'name="idempotency_key" value="([^"]+)"', chosen).group(1)
    assert 'name="use_credit" value="True"' in chosen
    response = client.post(
        "/checkout/",
        {
            "address_id": shopper.default_address.pk,
            "idempotency_key": key,
            "use_credit": "True",
        },
    )
    assert response.status_code == 302
    assert Order.objects.get(buyer=shopper).discount_minor == 3000
    assert ledger.balance(code).minor == 0


def test_the_checkout_page_hides_the_option_without_credit(shopper, listed_sku):
    client = _page_client(shopper, "zh-hans")
    client.post("/cart/add/", {"sku_id": listed_sku("120.00").pk, "quantity": 1})

    html = client.get("/checkout/?use_credit=1").content.decode()

    assert 'data-testid="credit-form"' not in html
    assert "¥120.00" in html


def test_the_checkout_page_in_chinese_names_the_credit(shopper, listed_sku):
    grant_credit(shopper, 3000)
    client = _page_client(shopper, "zh-hans")
    client.post("/cart/add/", {"sku_id": listed_sku("120.00").pk, "quantity": 1})

    html = client.get("/checkout/?use_credit=1").content.decode()

    assert "使用我的余额" in html
    assert "其中邀请奖励余额" in html
