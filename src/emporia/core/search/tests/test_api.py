from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_search_endpoint_finds_chinese_words(api_as, shelf, ids):
    response = api_as().get(
        "/api/search/", {"q": "连衣裙", "sort": "price_asc", "lang": "zh-hans"}
    )

    body = response.json()
    assert response.status_code == 200
    assert body["total"] == 5
    assert [i["id"] for i in body["items"]] == [
        shelf[k].pk for k in ("girls", "chiffon", "puff", "lbd", "silk")
    ]
    assert body["items"][0]["name"] == "儿童连衣裙女童公主裙夏装纱裙"
    assert body["items"][0]["min_price"] == "89.0000"
    assert body["items"][0]["min_money"] == {
        "minor": 8900,
        "currency": "CNY",
        "amount": "89.00",
    }


def test_search_endpoint_filters(api_as, shelf, tree, seller_shop, ids):
    response = api_as().get(
        "/api/search/",
        {
            "q": "耳机",
            "category": tree["digital"].pk,
            "shop": seller_shop.pk,
            "min_price": "100",
            "max_price": "400.5",
        },
    )

    assert {i["id"] for i in response.json()["items"]} == ids("xiaomi", "headphones")


@pytest.mark.parametrize(
    "q", ['"', "*", "NEAR(a b)", "a OR b", "(((", "x" * 10_000, "🎉", '连衣裙" OR "']
)
def test_hostile_query_is_200(api_as, shelf, q):
    response = api_as().get("/api/search/", {"q": q})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "random"},
        {"page": "0"},
        {"page_size": "1000"},
        {"min_price": "-1"},
        {"max_price": "1e400"},
        {"min_price": "NaN"},
        {"category": "99999999999999999999999"},
        {"shop": "x"},
    ],
)
def test_bad_search_parameters_are_422(api_as, params):
    response = api_as().get("/api/search/", params)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_failed"
