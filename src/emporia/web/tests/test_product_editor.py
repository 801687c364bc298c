"""Seller product editor: prefilled in both languages; saving reaches search."""

from __future__ import annotations

import pytest

from emporia.core.catalog.models import Product
from emporia.core.search import selectors as search
from emporia.infra.outbox.services import relay_pending

pytestmark = pytest.mark.django_db


def test_editor_shows_names_descriptions_and_skus_in_both_languages(english, teapot):
    page = english(teapot.seller).get(f"/seller/{teapot.shop_id}/products/{teapot.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="name_zh" value="西湖龙井绿茶"' in body
    assert 'name="name_en" value="Longjing green tea"' in body
    assert ">\n明前春茶</textarea>" in body
    assert ">\nSpring harvest</textarea>" in body
    assert body.count('data-testid="sku-row"') == 2
    assert "<code>LJ-100</code>" in body
    assert "<code>LJ-250</code>" in body


def test_saving_details_updates_both_languages_and_the_search_index(english, teapot):
    client = english(teapot.seller)
    url = f"/seller/{teapot.shop_id}/products/{teapot.pk}/"
    response = client.post(
        url,
        {
            "action": "details",
            "name_zh": "狮峰龙井",
            "name_en": "Shifeng Longjing",
            "description_zh": "",
            "description_en": "Hand-fired",
            "category_id": teapot.category_id,
            "brand": "狮峰",
        },
    )
    assert response.status_code == 302
    product = Product.objects.get(pk=teapot.pk)
    assert product.names == {"zh-hans": "狮峰龙井", "en": "Shifeng Longjing"}
    assert product.descriptions == {"en": "Hand-fired"}
    relay_pending()
    assert [i["id"] for i in search.search(query="狮峰").items] == [teapot.pk]
    assert search.search(query="明前").items == []


def test_bad_details_are_shown_and_nothing_changes(english, teapot):
    client = english(teapot.seller)
    response = client.post(
        f"/seller/{teapot.shop_id}/products/{teapot.pk}/",
        {"action": "details", "name_zh": "", "category_id": "999999"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "This field is required." in body
    assert "Select a valid choice. 999999 is not one of the available choices." in body
    assert Product.objects.get(pk=teapot.pk).names["zh-hans"] == "西湖龙井绿茶"


def test_an_unknown_action_is_400(english, teapot):
    response = english(teapot.seller).post(
        f"/seller/{teapot.shop_id}/products/{teapot.pk}/", {"action": "explode"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "data",
    [
        {"action": "update_sku", "sku_id": "abc", "price": "-1"},
        {"action": "update_sku", "sku_id": "999999999", "price": "1"},
        {"action": "status", "status": "banned"},
        {"action": "image"},
        {"action": "add_sku", "code": "LJ-100", "price": "1e400", "currency": "??"},
        {"action": "stock", "sku_id": "1", "location_id": "x", "quantity": "-5"},
        {"action": "details", "name_zh": "x" * 201, "category_id": "abc"},
    ],
)
def test_junk_in_any_editor_form_is_never_a_500(english, teapot, data):
    before = Product.objects.get(pk=teapot.pk)
    response = english(teapot.seller).post(
        f"/seller/{teapot.shop_id}/products/{teapot.pk}/", data
    )
    assert response.status_code in (302, 400, 404, 422)
    after = Product.objects.get(pk=teapot.pk)
    assert (after.names, after.status, after.updated_at) == (
        before.names,
        before.status,
        before.updated_at,
    )
