"""Storefront pages through the Django test client."""

from __future__ import annotations

import pytest

from .conftest import title

pytestmark = pytest.mark.django_db


def test_home_lists_categories_and_new_products(client, teapot):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert title(response).endswith("· Emporia")
    body = response.content.decode()
    assert "茶叶" in body
    assert "西湖龙井绿茶" in body
    assert 'lang="zh-Hans"' in body


def test_home_in_english_after_switching_language(client, teapot):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert "Longjing green tea" in body
    assert 'lang="en"' in body


def test_search_finds_chinese_and_english_words(client, teapot):
    zh = client.get("/search/", {"q": "龙井"})
    en = client.get("/search/", {"q": "longjing"}, HTTP_ACCEPT_LANGUAGE="en")
    assert zh.status_code == en.status_code == 200
    assert "西湖龙井绿茶" in zh.content.decode()
    assert "Longjing green tea" in en.content.decode()
    assert "龙井" in title(zh)


def test_search_with_hostile_or_bad_input_is_not_an_error(client, teapot):
    response = client.get(
        "/search/", {"q": '"NEAR( * OR', "min_price": "abc", "page": "x"}
    )
    assert response.status_code == 200
    assert "<script>" not in client.get("/search/", {"q": "<script>"}).content.decode()


def test_category_page_filters_by_price(client, teapot):
    url = f"/c/{teapot.category_id}/"
    cheap = client.get(url, {"max_price": "50"})
    all_ = client.get(url)
    assert all_.status_code == 200
    assert "西湖龙井绿茶" in all_.content.decode()
    assert "西湖龙井绿茶" not in cheap.content.decode()
    assert client.get("/c/999999/").status_code == 404


def test_product_page_shows_skus_price_stock_and_shop(client, teapot):
    response = client.get(f"/p/{teapot.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert title(response).startswith("西湖龙井绿茶")
    assert "100g" in body
    assert "250g" in body
    assert "¥88.00" in body
    assert "西湖茶铺" in body
    assert "disabled" in body  # the 250g SKU is sold out


def test_unlisted_or_unknown_product_is_404(client, teapot):
    teapot.status = "draft"
    teapot.save()
    assert client.get(f"/p/{teapot.pk}/").status_code == 404
    assert client.get("/p/424242/").status_code == 404


def test_shop_page(client, teapot):
    response = client.get(f"/shops/{teapot.shop_id}/")
    assert response.status_code == 200
    assert "西湖茶铺" in title(response)
