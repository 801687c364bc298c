"""/api/inventory/: shop staff manage their own stock; buyers see availability."""

import pytest

from emporia.core.accounts.models import ShopMember
from emporia.core.inventory.models import Location, StockItem, StockMovement
from tests.factories import stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(shop):
    return shop.members.get(role=ShopMember.Role.OWNER).user


@pytest.fixture
def stranger(shop_factory):
    return shop_factory().members.get().user  # staff of another shop


def test_staff_create_and_list_locations(api_as, shop, owner):
    client = api_as(owner)
    res = client.post(
        f"inventory/shops/{shop.pk}/locations",
        {
            "code": "sz-store",
            "name": "Shenzhen store",
            "kind": "store",
            "latitude": "22.5431",
            "longitude": "114.0579",
        },
    )
    assert res.status_code == 201, res.content
    assert res.json()["latitude"] == "22.543100"

    listed = client.get(f"inventory/shops/{shop.pk}/locations").json()["items"]
    assert [(loc["code"], loc["kind"]) for loc in listed] == [("sz-store", "store")]

    patched = client.patch(
        f"inventory/shops/{shop.pk}/locations/{listed[0]['id']}", {"is_active": False}
    )
    assert (patched.status_code, patched.json()["is_active"]) == (200, False)


@pytest.mark.parametrize(
    "body",
    [
        {"code": "BAD CODE", "name": "x"},
        {"code": "x", "name": "x", "kind": "castle"},
        {"code": "x", "name": "x", "latitude": "95", "longitude": "1"},
        {"code": "x", "name": "x", "latitude": "1"},
        {"code": "x", "name": "x", "latitude": "abc", "longitude": "1"},
        {"code": "x"},
    ],
)
def test_bad_locations_are_4xx_and_change_nothing(api_as, shop, owner, body):
    res = api_as(owner).post(f"inventory/shops/{shop.pk}/locations", body)
    assert 400 <= res.status_code < 500, res.content
    assert Location.objects.count() == 0


def test_receive_adjust_and_read_movements(
    api_as, shop, owner, sku_factory, location_factory
):
    sku = sku_factory(product__shop=shop)
    location = location_factory(shop=shop)
    client = api_as(owner)

    res = client.post(
        f"inventory/shops/{shop.pk}/stock",
        {"sku_id": sku.pk, "location_id": location.pk, "quantity": 20},
    )
    assert res.status_code == 201, res.content
    item_id = res.json()["id"]
    assert (res.json()["on_hand"], res.json()["available"]) == (20, 20)

    res = client.post(
        f"inventory/shops/{shop.pk}/stock/{item_id}/adjust",
        {"delta": -3, "reason": "damaged"},
    )
    assert (res.status_code, res.json()["on_hand"]) == (200, 17)

    stock_rows = client.get(f"inventory/shops/{shop.pk}/stock").json()["items"]
    assert [(r["sku_code"], r["on_hand"]) for r in stock_rows] == [(sku.code, 17)]

    moves = client.get(f"inventory/shops/{shop.pk}/stock/{item_id}/movements").json()
    assert moves["count"] == 2
    assert [
        (m["delta"], m["kind"], m["reason"], m["actor"]) for m in moves["items"]
    ] == [
        (-3, "adjustment", "damaged", owner.pk),
        (20, "receipt", "Goods received", owner.pk),
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"delta": 0, "reason": "x"},
        {"delta": -100, "reason": "x"},
        {"delta": 5, "reason": ""},
        {"delta": 10**12, "reason": "x"},
        {"delta": "many", "reason": "x"},
    ],
)
def test_bad_adjustments_are_4xx_and_change_nothing(
    api_as, shop, owner, sku_factory, body
):
    item = stock(sku_factory(product__shop=shop), 5)
    res = api_as(owner).post(f"inventory/shops/{shop.pk}/stock/{item.pk}/adjust", body)
    assert 400 <= res.status_code < 500, res.content
    item.refresh_from_db()
    assert (item.on_hand, StockMovement.objects.count()) == (5, 1)


def test_other_shops_staff_get_404_everywhere(api_as, shop, stranger, sku_factory):
    sku = sku_factory(product__shop=shop)
    item = stock(sku, 5)
    client = api_as(stranger)
    base = f"inventory/shops/{shop.pk}"
    assert client.get(f"{base}/locations").status_code == 404
    assert (
        client.post(f"{base}/locations", {"code": "x", "name": "x"}).status_code == 404
    )
    assert client.get(f"{base}/stock").status_code == 404
    assert (
        client.post(
            f"{base}/stock",
            {"sku_id": sku.pk, "location_id": item.location_id, "quantity": 1},
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"{base}/stock/{item.pk}/adjust", {"delta": 1, "reason": "x"}
        ).status_code
        == 404
    )
    assert client.get(f"{base}/stock/{item.pk}/movements").status_code == 404
    item.refresh_from_db()
    assert (item.on_hand, Location.objects.count()) == (5, 1)


def test_staff_cannot_reach_another_shops_stock_through_their_own_shop(
    api_as, shop, owner, shop_factory, sku_factory, location_factory
):
    other = shop_factory()
    their_item = stock(sku_factory(product__shop=other), 5)
    client = api_as(owner)
    assert (
        client.get(
            f"inventory/shops/{shop.pk}/stock/{their_item.pk}/movements"
        ).status_code
        == 404
    )
    res = client.post(
        f"inventory/shops/{shop.pk}/stock",
        {
            "sku_id": their_item.sku_id,
            "location_id": location_factory(shop=shop).pk,
            "quantity": 1,
        },
    )
    assert res.status_code == 404
    assert StockItem.objects.count() == 1


def test_availability_is_public_for_listed_skus(api_as, sku, sku_factory):
    stock(sku, 7)
    res = api_as().get(f"inventory/skus/{sku.pk}/availability")
    assert res.json() == {"sku_id": sku.pk, "available": 7}
    draft = sku_factory(product__status="draft")
    assert api_as().get(f"inventory/skus/{draft.pk}/availability").status_code == 404
    assert api_as().get("inventory/skus/999999/availability").status_code == 404


def test_huge_ids_are_not_server_errors(api_as, shop, owner):
    client = api_as(owner)
    assert client.get(f"inventory/skus/{10**30}/availability").status_code < 500
    assert client.get(f"inventory/shops/{10**30}/stock").status_code < 500
    assert client.get(f"money/shops/{10**30}/balance").status_code < 500


def test_refusals_are_worded_in_the_requests_language(api_as, shop, owner, sku_factory):
    item = stock(sku_factory(product__shop=shop), 5)
    chinese = api_as(owner, language="zh-hans")
    base = f"inventory/shops/{shop.pk}"

    below = chinese.post(
        f"{base}/stock/{item.pk}/adjust", {"delta": -100, "reason": "盘点"}
    )
    taken = chinese.post(
        f"{base}/locations", {"code": item.location.code, "name": "二号仓"}
    )
    english = api_as(owner).post(
        f"{base}/stock/{item.pk}/adjust", {"delta": -100, "reason": "count"}
    )

    assert below.status_code == 422
    assert below.json()["error"]["code"] == "validation_failed"
    assert below.json()["error"]["message"] == "库存不能少于未付款订单已占用的数量"
    assert (taken.status_code, taken.json()["error"]["message"]) == (
        409,
        f"本店铺已有编码为 '{item.location.code}' 的仓库",
    )
    assert english.json()["error"]["message"] == (
        "Stock cannot go below the units reserved for unpaid orders"
    )
    item.refresh_from_db()
    assert (item.on_hand, StockMovement.objects.count()) == (5, 1)
    assert Location.objects.count() == 1
