"""The SKU picker by attribute: the pure rule, and the product page."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from emporia.core.catalog.models import Product
from emporia.web import sku_picker
from tests import factories


def sku(id, colour, size, available):
    return {
        "id": id,
        "attributes": {"颜色": colour, "尺码": size},
        "available": available,
    }


SHIRTS = [
    sku(1, "红色", "M", 3),
    sku(2, "红色", "L", 0),  # sold out
    sku(3, "蓝色", "L", 5),  # 蓝色 M does not exist
    sku(4, "白色", "M", 0),  # 白色 exists only sold out
]


def states(dims):
    return {d.name: {c.value: (c.enabled, c.checked) for c in d.choices} for d in dims}


def test_one_control_per_attribute_with_unreachable_values_disabled():
    # attributes by name: 尺码 (U+5C3A) before 颜色 (U+989C)
    dims = sku_picker.picker(SHIRTS, selected_id=1)
    assert [d.name for d in dims] == ["尺码", "颜色"]
    assert states(dims) == {
        "尺码": {"M": (True, True), "L": (True, False)},
        "颜色": {"红色": (True, True), "蓝色": (False, False), "白色": (False, False)},
    }
    assert sku_picker.chosen_sku(SHIRTS, dims)["id"] == 1


def test_choosing_a_size_disables_colours_not_in_stock_in_it():
    dims = sku_picker.picker(SHIRTS, selected_id=3)
    assert states(dims)["颜色"] == {
        "红色": (False, False),  # red L is sold out
        "蓝色": (True, True),
        "白色": (False, False),  # white L does not exist
    }
    assert sku_picker.chosen_sku(SHIRTS, dims)["id"] == 3


def test_a_sold_out_selection_moves_to_a_combination_in_stock():
    dims = sku_picker.picker(SHIRTS, selected_id=2)  # red L, sold out
    assert sku_picker.chosen_sku(SHIRTS, dims)["id"] == 3  # blue L


def test_no_picker_without_shared_attribute_names():
    assert sku_picker.picker([{"id": 1, "attributes": {}, "available": 1}], 1) is None
    mixed = [
        {"id": 1, "attributes": {"颜色": "红"}, "available": 1},
        {"id": 2, "attributes": {"尺码": "M"}, "available": 1},
    ]
    assert sku_picker.picker(mixed, 1) is None
    assert sku_picker.picker([], None) is None


@pytest.fixture
def shirt(product_factory, sku_factory):
    product = product_factory(
        status=Product.Status.LISTED, names={"en": "Shirt", "zh-hans": "衬衫"}
    )
    made = {}
    for code, colour, size, price, stock in (
        ("R-M", "红色", "M", "99", 3),
        ("R-L", "红色", "L", "109", 0),
        ("B-L", "蓝色", "L", "119", 5),
    ):
        made[code] = sku_factory(
            product=product,
            code=code,
            attributes={"颜色": colour, "尺码": size},
            price=Decimal(price),
        )
        if stock:
            factories.stock(made[code], stock)
    product.by_code = made
    return product


def radios(page: str) -> dict[str, tuple[bool, bool]]:
    found = {}
    for tag in re.findall(r'<input type="radio" name="pick-\d+"[^>]*>', page):
        value = re.search(r'value="([^"]*)"', tag).group(1)
        found[value] = (" disabled" not in tag, " checked" in tag)
    return found


needs_db = pytest.mark.django_db


@needs_db
def test_product_page_shows_a_control_per_attribute(client, shirt):
    response = client.get(f"/p/{shirt.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<legend>颜色</legend>" in page
    assert "<legend>尺码</legend>" in page
    assert radios(page) == {
        "M": (True, True),
        "L": (True, False),
        "红色": (True, True),
        "蓝色": (False, False),
    }
    assert re.search(r'data-testid="price">CN¥99.00<', page)
    assert 'data-testid="sku-code">R-M<' in page
    assert 'data-testid="stock">3 left<' in page
    data = json.loads(
        re.search(r'id="sku-data" type="application/json">(.*?)</script>', page).group(
            1
        )
    )
    assert data["dimensions"] == ["尺码", "颜色"]
    assert [(s["code"], s["available"], s["price"]) for s in data["skus"]] == [
        ("R-M", 3, "CN¥99.00"),
        ("R-L", 0, "CN¥109.00"),
        ("B-L", 5, "CN¥119.00"),
    ]


@needs_db
def test_without_javascript_a_select_of_skus_submits(client, shirt):
    page = client.get(f"/p/{shirt.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    red_l = shirt.by_code["R-L"].pk
    blue_l = shirt.by_code["B-L"].pk
    assert re.search(rf'<option value="{red_l}" disabled>尺码: L / 颜色: 红色', page)
    assert re.search(rf'<option value="{blue_l}">尺码: L / 颜色: 蓝色', page)
    response = client.post(
        "/cart/add/", {"sku_id": blue_l, "quantity": 2, "next": f"/p/{shirt.pk}/"}
    )
    assert response.status_code == 302
    cart = client.get("/cart/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # the cart's SKU label follows the stored key order, which is per database
    assert re.search(r"蓝色 / L|L / 蓝色", cart)


@needs_db
def test_sku_in_the_query_preselects_it(client, shirt):
    blue_l = shirt.by_code["B-L"].pk
    page = client.get(f"/p/{shirt.pk}/?sku={blue_l}", HTTP_ACCEPT_LANGUAGE="en")
    page = page.content.decode()
    assert radios(page) == {
        "M": (True, False),
        "L": (True, True),
        "红色": (False, False),
        "蓝色": (True, True),
    }
    assert 'data-testid="sku-code">B-L<' in page


@needs_db
@pytest.mark.parametrize("junk", ["abc", "-1", "99999999999999999999", ""])
def test_a_bad_sku_in_the_query_is_ignored(client, shirt, junk):
    response = client.get(f"/p/{shirt.pk}/", {"sku": junk}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert 'data-testid="sku-code">R-M<' in response.content.decode()
