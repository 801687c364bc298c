"""The price pipeline: rules registered by modules change the unit price and
say why; the reasons reach the order line."""

from decimal import Decimal

import pytest

from emporia.core.orders.models import Order
from emporia.core.pricing.extensions import price_rules

pytestmark = pytest.mark.django_db


class TenPercentOffFromThree:
    """A volume tier, as a B2B module would register."""

    def prepare(self, contexts):
        self.prepared = len(contexts)

    def apply(self, context, price):
        if context.quantity >= 3:
            return price.adjusted(
                (price.unit_price * Decimal("0.9")).quantize(Decimal("0.0001")),
                code="volume_tier",
                label="3+ units: 10% off",
            )
        return price


@pytest.fixture
def volume_rule():
    rule = TenPercentOffFromThree()
    price_rules.register("tests.volume", rule, priority=20)
    yield rule
    price_rules.unregister("tests.volume")


def test_a_rule_changes_the_price_and_explains_it(
    shopper, listed_sku, api_as, volume_rule
):
    sku = listed_sku("10.00")
    resp = api_as(shopper).post(
        "checkout/quote",
        {
            "lines": [{"sku_id": sku.pk, "quantity": 3}],
            "address_id": shopper.default_address.pk,
        },
    )
    assert resp.status_code == 200, resp.content
    line = resp.json()["orders"][0]["lines"][0]
    assert line["unit_price"] == "9"
    assert line["line_total"]["minor"] == 2700
    assert [r["code"] for r in line["price_reasons"]] == ["list_price", "volume_tier"]
    assert volume_rule.prepared == 1


def test_below_the_tier_the_list_price_stands(shopper, listed_sku, api_as, volume_rule):
    sku = listed_sku("10.00")
    resp = api_as(shopper).post(
        "checkout/place",
        {
            "lines": [{"sku_id": sku.pk, "quantity": 2}],
            "address_id": shopper.default_address.pk,
        },
        headers={"Idempotency-Key": "k"},
    )
    order_id = resp.json()["orders"][0]["id"]
    line = api_as(shopper).get(f"orders/{order_id}").json()["lines"][0]
    assert (line["unit_price"], line["line_total"]["minor"]) == ("10", 2000)
    assert [r["code"] for r in line["price_reasons"]] == ["list_price"]


def test_the_line_total_is_rounded_once_half_to_even(shopper, listed_sku, api_as):
    sku = listed_sku("0.125")
    resp = api_as(shopper).post(
        "checkout/quote",
        {
            "lines": [{"sku_id": sku.pk, "quantity": 1}],
            "address_id": shopper.default_address.pk,
        },
    )
    assert resp.json()["orders"][0]["lines"][0]["line_total"]["minor"] == 12


def test_the_reasons_are_worded_in_the_requests_language(shopper, listed_sku, api_as):
    """Pricing refuses nothing itself; what a buyer reads from it is the
    reason for each price, in the request's language."""
    sku = listed_sku("10.00")
    body = {
        "lines": [{"sku_id": sku.pk, "quantity": 1}],
        "address_id": shopper.default_address.pk,
    }

    chinese = api_as(shopper, language="zh-hans").post("checkout/quote", body)
    english = api_as(shopper).post("checkout/quote", body)

    assert chinese.status_code == 200, chinese.content
    assert chinese.json()["orders"][0]["lines"][0]["price_reasons"] == [
        {"code": "list_price", "label": "标价", "unit_price": "10.0000"}
    ]
    assert [
        r["label"] for r in english.json()["orders"][0]["lines"][0]["price_reasons"]
    ] == ["List price"]
    assert not Order.objects.exists()
