import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emporia.core.checkout import services
from emporia.core.checkout.models import Cart, CartLine

pytestmark = pytest.mark.django_db


def test_adding_the_same_sku_twice_merges_the_line(buyer, listed_sku, api_as):
    api = api_as(buyer)
    sku = listed_sku(quantity=10)
    api.post("checkout/cart/lines", {"sku_id": sku.pk, "quantity": 2})
    resp = api.post("checkout/cart/lines", {"sku_id": sku.pk, "quantity": 3})
    assert resp.status_code == 201
    assert [(li["sku_id"], li["quantity"]) for li in resp.json()["lines"]] == [
        (sku.pk, 5)
    ]


def test_cannot_put_more_in_the_cart_than_is_in_stock(buyer, listed_sku, api_as):
    api = api_as(buyer)
    sku = listed_sku(quantity=3)
    resp = api.post("checkout/cart/lines", {"sku_id": sku.pk, "quantity": 4})
    assert resp.status_code == 409
    assert resp.json()["error"]["message"].startswith("Only 3 left")
    assert not CartLine.objects.exists()


def test_another_buyers_cart_line_cannot_be_changed(
    buyer, user_factory, listed_sku, api_as
):
    mine = api_as(buyer)
    mine.post("checkout/cart/lines", {"sku_id": listed_sku().pk, "quantity": 1})
    line_id = mine.get("checkout/cart").json()["lines"][0]["id"]
    thief = api_as(user_factory())
    assert (
        thief.patch(f"checkout/cart/lines/{line_id}", {"quantity": 5}).status_code
        == 404
    )
    assert thief.delete(f"checkout/cart/lines/{line_id}").status_code == 404
    assert CartLine.objects.get(pk=line_id).quantity == 1


def test_setting_quantity_zero_removes_the_line(buyer, listed_sku, api_as):
    api = api_as(buyer)
    api.post("checkout/cart/lines", {"sku_id": listed_sku().pk, "quantity": 1})
    line_id = api.get("checkout/cart").json()["lines"][0]["id"]
    assert api.patch(f"checkout/cart/lines/{line_id}", {"quantity": 0}).json() == {
        "lines": []
    }


def test_anonymous_cart_merges_into_the_buyers_cart_on_login(buyer, listed_sku):
    a, b = listed_sku(quantity=10), listed_sku(quantity=10)
    mine = services.cart_for(user=buyer)
    services.add_to_cart(cart=mine, sku_id=a.pk, quantity=1)
    anon = services.cart_for(session_key="sess-1")
    services.add_to_cart(cart=anon, sku_id=a.pk, quantity=2)
    services.add_to_cart(cart=anon, sku_id=b.pk, quantity=1)
    services.merge_carts(user=buyer, session_key="sess-1")
    assert sorted(mine.lines.values_list("sku_id", "quantity")) == [
        (a.pk, 3),
        (b.pk, 1),
    ]
    assert not Cart.objects.filter(session_key="sess-1").exists()


def test_units_to_sell_count_every_active_location_less_what_is_reserved(
    buyer, listed_sku, location_factory, api_as
):
    from emporia.core.inventory.models import StockItem
    from tests import factories

    api = api_as(buyer)
    sku = listed_sku(quantity=3)
    shop = sku.product.shop
    factories.stock(sku, 4, location_factory(shop=shop))  # 3 + 4 on hand
    closed = location_factory(shop=shop, is_active=False)
    factories.stock(sku, 50, closed)  # not for sale from a closed location
    first = StockItem.objects.filter(sku=sku).order_by("pk").first()
    StockItem.objects.filter(pk=first.pk).update(reserved=2)  # held: 5 left

    resp = api.post("checkout/cart/lines", {"sku_id": sku.pk, "quantity": 6})
    assert resp.status_code == 409
    assert resp.json()["error"]["message"].startswith("Only 5 left")
    assert not CartLine.objects.exists()
    resp = api.post("checkout/cart/lines", {"sku_id": sku.pk, "quantity": 5})
    assert resp.status_code == 201


def test_a_sku_with_no_stock_anywhere_cannot_be_added(buyer, listed_sku, api_as):
    api = api_as(buyer)
    sku = listed_sku(quantity=0)
    resp = api.post("checkout/cart/lines", {"sku_id": sku.pk, "quantity": 1})
    assert resp.status_code == 409
    assert resp.json()["error"]["message"].startswith("Only 0 left")
    assert not CartLine.objects.exists()


def test_merging_into_a_line_may_not_go_past_the_stock(buyer, listed_sku, api_as):
    api = api_as(buyer)
    sku = listed_sku(quantity=5)
    api.post("checkout/cart/lines", {"sku_id": sku.pk, "quantity": 4})
    resp = api.post("checkout/cart/lines", {"sku_id": sku.pk, "quantity": 2})
    assert resp.status_code == 409
    assert list(CartLine.objects.values_list("sku_id", "quantity")) == [(sku.pk, 4)]


def test_a_cart_holds_a_limited_number_of_different_items(
    buyer, listed_sku, api_as, settings
):
    settings.EMPORIA = {**settings.EMPORIA, "CART_MAX_LINES": 2}
    api = api_as(buyer)
    a, b, c = listed_sku(), listed_sku(), listed_sku()
    for sku in (a, b):
        assert (
            api.post(
                "checkout/cart/lines", {"sku_id": sku.pk, "quantity": 1}
            ).status_code
            == 201
        )
    resp = api.post("checkout/cart/lines", {"sku_id": c.pk, "quantity": 1})
    assert resp.status_code == 422
    assert "at most 2 different items" in resp.json()["error"]["message"]
    # more of an item already there is not another item
    resp = api.post("checkout/cart/lines", {"sku_id": a.pk, "quantity": 2})
    assert resp.status_code == 201
    assert sorted(CartLine.objects.values_list("sku_id", "quantity")) == [
        (a.pk, 3),
        (b.pk, 1),
    ]


def test_refusals_are_worded_in_the_requests_language(buyer, listed_sku, api_as):
    sku = listed_sku(quantity=3)
    name = sku.product.name("zh-hans")
    body = {"sku_id": sku.pk, "quantity": 4}
    chinese = api_as(buyer, language="zh-hans").post("checkout/cart/lines", body)
    assert chinese.json()["error"] == {
        "code": "out_of_stock",
        "message": f"{name} 仅剩 3 件",
        "details": {"available": 3},
    }
    # no Accept-Language: the platform's language, Chinese
    unasked = api_as(buyer, language=None).post("checkout/cart/lines", body)
    assert unasked.json()["error"]["message"] == f"{name} 仅剩 3 件"
    english = api_as(buyer).post("checkout/cart/lines", body)
    assert english.json()["error"]["message"].startswith("Only 3 left of")
    assert not CartLine.objects.exists()


def test_adding_answers_with_the_whole_cart_as_a_fresh_read_shows_it(
    buyer, listed_sku, api_as
):
    api = api_as(buyer, language="zh-hans")
    tea, cup, pot = listed_sku("30.00"), listed_sku("12.50"), listed_sku("88.00")
    api.post("checkout/cart/lines", {"sku_id": tea.pk, "quantity": 1})
    api.post("checkout/cart/lines", {"sku_id": cup.pk, "quantity": 2})
    merged = api.post("checkout/cart/lines", {"sku_id": tea.pk, "quantity": 2})
    added = api.post("checkout/cart/lines", {"sku_id": pot.pk, "quantity": 1})
    assert merged.status_code == added.status_code == 201
    assert [(li["sku_id"], li["quantity"]) for li in added.json()["lines"]] == [
        (tea.pk, 3),
        (cup.pk, 2),
        (pot.pk, 1),
    ]
    assert added.json() == api.get("checkout/cart").json()


def test_adding_to_the_cart_reads_the_lines_once_and_writes_only_the_line(
    buyer, listed_sku, api_as
):
    api = api_as(buyer)
    tea, cup = listed_sku("30.00"), listed_sku("12.50")
    api.post("checkout/cart/lines", {"sku_id": tea.pk, "quantity": 1})
    with CaptureQueriesContext(connection) as ctx:
        resp = api.post("checkout/cart/lines", {"sku_id": cup.pk, "quantity": 1})
    assert resp.status_code == 201
    statements = [q["sql"].split('"')[0] + q["sql"].split('"')[1] for q in ctx]
    # after the bearer token's lookup: the buyer's cart, the SKU with its
    # stock, the lines with their SKUs, the new line; no second read of the
    # lines for the answer, and the cart's own row not written again within
    # the minute
    data = ("SELECT", "INSERT", "UPDATE", "DELETE")
    assert [s for s in statements if s.startswith(data) and "accounts_" not in s] == [
        "SELECT checkout_cart",
        "SELECT catalog_sku",
        "SELECT checkout_cartline",
        "INSERT INTO checkout_cartline",
    ]


def test_the_cart_remembers_when_it_last_changed_to_the_minute(
    buyer, listed_sku, frozen_clock
):
    cart = services.cart_for(user=buyer)
    tea, cup = listed_sku("30.00"), listed_sku("12.50")
    services.add_to_cart(cart=cart, sku_id=tea.pk, quantity=1)
    first = Cart.objects.get(pk=cart.pk).updated_at
    frozen_clock.advance(seconds=30)
    services.add_to_cart(cart=cart, sku_id=cup.pk, quantity=1)
    assert Cart.objects.get(pk=cart.pk).updated_at == first
    frozen_clock.advance(seconds=31)
    lines = services.add_to_cart(cart=cart, sku_id=cup.pk, quantity=1)
    assert Cart.objects.get(pk=cart.pk).updated_at == frozen_clock()
    assert [(li.sku_id, li.quantity) for li in lines] == [(tea.pk, 1), (cup.pk, 2)]
