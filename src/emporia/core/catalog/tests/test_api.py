from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from emporia.core.catalog import selectors, services
from emporia.core.catalog.models import Product, ProductImage, Sku
from emporia.infra.outbox.models import OutboxEvent

from .conftest import image_bytes

pytestmark = pytest.mark.django_db

SKU = {
    "code": "RED-M",
    "attributes": {"颜色": "红色"},
    "price": "99.90",
    "currency": "CNY",
}


def _new_product(categories, **changes):
    return {
        "names": {"zh-hans": "碎花连衣裙", "en": "Floral dress"},
        "category_id": categories["dresses"].pk,
        "skus": [SKU],
        **changes,
    }


# -- public reads -------------------------------------------------------------


def test_category_tree_is_localized(api_as, categories):
    response = api_as().get("catalog/categories?lang=en")

    assert response.status_code == 200
    assert response.json()["categories"] == [
        {
            "id": categories["apparel"].pk,
            "slug": "apparel",
            "name": "Apparel",
            "children": [
                {
                    "id": categories["women"].pk,
                    "slug": "womenswear",
                    "name": "Womenswear",
                    "children": [
                        {
                            "id": categories["dresses"].pk,
                            "slug": "dresses",
                            "name": "Dresses",
                            "children": [],
                        }
                    ],
                }
            ],
        },
        {
            "id": categories["digital"].pk,
            "slug": "digital",
            "name": "Digital",
            "children": [],
        },
    ]


def test_product_detail_shows_prices_as_strings_and_money(api_as, make_product):
    product = make_product(
        names={"zh-hans": "真丝连衣裙", "en": "Silk dress"}, price="899"
    )

    response = api_as().get(f"catalog/products/{product.pk}?lang=zh-hans")

    body = response.json()
    assert response.status_code == 200
    assert body["name"] == "真丝连衣裙"
    assert [c["name"] for c in body["breadcrumb"]] == ["服装", "女装", "连衣裙"]
    assert body["skus"][0]["price"] == "899.0000"
    assert body["skus"][0]["money"] == {
        "minor": 89900,
        "currency": "CNY",
        "amount": "899.00",
    }
    assert body["min_money"] == {"minor": 89900, "currency": "CNY", "amount": "899.00"}


def test_product_detail_follows_accept_language(api_as, make_product):
    product = make_product(names={"zh-hans": "真丝连衣裙", "en": "Silk dress"})

    response = api_as().get(
        f"catalog/products/{product.pk}", headers={"Accept-Language": "en"}
    )

    assert response.json()["name"] == "Silk dress"


def test_draft_product_is_not_public(api_as, make_product):
    product = make_product(listed=False)

    response = api_as().get(f"catalog/products/{product.pk}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_product_list_includes_subcategories_and_paginates(
    api_as, make_product, categories
):
    dress = make_product(names={"en": "Dress"}, category="dresses")
    top = make_product(names={"en": "Top"}, category="women")
    make_product(names={"en": "Phone"}, category="digital")
    make_product(names={"en": "Draft"}, category="women", listed=False)

    first = api_as().get(
        "catalog/products",
        {"category": categories["apparel"].pk, "page_size": 1, "lang": "en"},
    )
    second = api_as().get(
        "catalog/products",
        {"category": categories["apparel"].pk, "page_size": 1, "page": 2},
    )

    assert first.json()["total"] == 2
    assert [p["id"] for p in first.json()["items"]] == [top.pk]
    assert [p["id"] for p in second.json()["items"]] == [dress.pk]


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page_size=1000",
        "category=-1",
        "category=99999999999999999999999",
        "lang=%3Cscript%3E",
        "shop=abc",
    ],
)
def test_product_list_rejects_bad_query_with_422(api_as, query):
    response = api_as().get(f"/api/catalog/products?{query}")

    assert response.status_code == 422


def test_huge_product_id_is_422_not_500(api_as):
    response = api_as().get("catalog/products/99999999999999999999999")

    assert response.status_code == 422


# -- staff writes -------------------------------------------------------------


def test_staff_creates_product(api_as, seller, seller_shop, categories):
    response = api_as(seller).post(
        f"catalog/shops/{seller_shop.pk}/products",
        _new_product(categories, skus=[{**SKU, "price": 19.9}]),
    )

    body = response.json()
    assert response.status_code == 201
    assert body["status"] == "draft"
    assert body["skus"][0]["price"] == "19.9000"
    assert body["skus"][0]["money"]["minor"] == 1990
    assert Product.objects.filter(shop=seller_shop).count() == 1


def test_anonymous_create_is_401(api_as, seller_shop, categories):
    response = api_as().post(
        f"catalog/shops/{seller_shop.pk}/products", _new_product(categories)
    )

    assert response.status_code == 401
    assert Product.objects.count() == 0


def test_other_shops_staff_gets_404(api_as, other_shop_staff, seller_shop, categories):
    response = api_as(other_shop_staff).post(
        f"catalog/shops/{seller_shop.pk}/products", _new_product(categories)
    )

    assert response.status_code == 404
    assert Product.objects.count() == 0


@pytest.mark.parametrize(
    ("skus", "status"),
    [
        ([{**SKU, "price": "-1"}], 422),
        ([{**SKU, "price": "1e30"}], 422),
        ([{**SKU, "price": 1e308}], 422),
        ([{**SKU, "price": "NaN"}], 422),
        ([{**SKU, "price": "Infinity"}], 422),
        ([{**SKU, "price": "12.345678"}], 422),
        ([{**SKU, "currency": "XYZ"}], 422),
        ([{**SKU, "currency": "RMB"}], 422),
        ([{**SKU, "attributes": {"尺码": 42}}], 422),
        ([{**SKU, "weight_grams": 10**30}], 422),
        ([SKU, SKU], 422),
    ],
)
def test_bad_sku_input_is_4xx_and_writes_nothing(
    api_as, seller, seller_shop, categories, skus, status
):
    response = api_as(seller).post(
        f"catalog/shops/{seller_shop.pk}/products", _new_product(categories, skus=skus)
    )

    assert response.status_code == status
    assert response.json()["error"]["code"] == "validation_failed"
    assert Product.objects.count() == 0
    assert Sku.objects.count() == 0
    assert OutboxEvent.objects.count() == 0


@pytest.mark.parametrize(
    "raw", ['{"names": ', "not json", "[1, 2", '{"names": {"en": "x"}']
)
def test_malformed_json_is_400(api_as, seller, seller_shop, raw):
    response = api_as(seller).post(f"catalog/shops/{seller_shop.pk}/products", raw=raw)

    assert response.status_code == 400
    # ninja 1.7 refuses the body in its parser (HttpError), before validation.
    assert response.json()["error"]["code"] in ("malformed_json", "http_error")
    assert Product.objects.count() == 0


def test_huge_integer_in_json_is_not_a_500(api_as, seller, seller_shop, categories):
    raw = '{"names": {"en": "x"}, "category_id": ' + "9" * 5000 + ', "skus": []}'

    response = api_as(seller).post(f"catalog/shops/{seller_shop.pk}/products", raw=raw)

    assert response.status_code in (400, 422)
    assert Product.objects.count() == 0


def test_patch_product(api_as, seller, make_product):
    product = make_product(names={"zh-hans": "旧"})

    response = api_as(seller).patch(
        f"catalog/products/{product.pk}", {"names": {"zh-hans": "新款"}, "brand": "B"}
    )

    assert response.status_code == 200
    product.refresh_from_db()
    assert (product.names, product.brand) == ({"zh-hans": "新款"}, "B")


def test_patch_product_by_stranger_is_404(api_as, stranger, make_product):
    product = make_product(names={"zh-hans": "旧"})

    response = api_as(stranger).patch(
        f"catalog/products/{product.pk}", {"names": {"zh-hans": "新"}}
    )

    assert response.status_code == 404
    product.refresh_from_db()
    assert product.names == {"zh-hans": "旧"}


def test_add_and_update_sku(api_as, seller, make_product):
    product = make_product()

    added = api_as(seller).post(
        f"catalog/products/{product.pk}/skus",
        {"code": "BLUE-L", "price": "59.5", "currency": "CNY"},
    )
    changed = api_as(seller).patch(
        f"catalog/skus/{added.json()['id']}", {"price": "49.00", "is_active": False}
    )

    assert added.status_code == 201
    assert changed.status_code == 200
    assert changed.json()["money"] == {
        "minor": 4900,
        "currency": "CNY",
        "amount": "49.00",
    }
    assert changed.json()["is_active"] is False


def test_update_sku_by_other_shop_is_404(api_as, other_shop_staff, make_product):
    sku = make_product().skus.get()

    response = api_as(other_shop_staff).patch(f"catalog/skus/{sku.pk}", {"price": "1"})

    assert response.status_code == 404
    sku.refresh_from_db()
    assert sku.price == Decimal("99.0000")


def test_status_endpoint(api_as, seller, operator, make_product):
    product = make_product(listed=False)

    listed = api_as(seller).post(
        f"catalog/products/{product.pk}/status", {"status": "listed"}
    )
    banned_by_seller = api_as(seller).post(
        f"catalog/products/{product.pk}/status", {"status": "banned"}
    )
    banned = api_as(operator).post(
        f"catalog/products/{product.pk}/status", {"status": "banned", "reason": "侵权"}
    )
    unknown = api_as(seller).post(
        f"catalog/products/{product.pk}/status", {"status": "sold"}
    )

    assert listed.json() == {"id": product.pk, "status": "listed"}
    assert banned_by_seller.status_code == 403
    assert banned.json() == {"id": product.pk, "status": "banned"}
    assert unknown.status_code == 422


def test_upload_image_multipart(api_as, seller, make_product):
    product = make_product()
    client = api_as(seller)

    response = client.client.post(
        f"/api/catalog/products/{product.pk}/images",
        {"image": SimpleUploadedFile("a.png", image_bytes("PNG")), "alt": "主图"},
        **client.headers,
    )

    assert response.status_code == 201
    assert response.json()["alt"] == "主图"
    assert ProductImage.objects.filter(product=product).count() == 1


def test_upload_fake_image_is_422(api_as, seller, make_product):
    product = make_product()
    client = api_as(seller)

    response = client.client.post(
        f"/api/catalog/products/{product.pk}/images",
        {"image": SimpleUploadedFile("a.png", b"<?php echo 1; ?>")},
        **client.headers,
    )

    assert response.status_code == 422
    assert ProductImage.objects.count() == 0


def test_upload_image_by_stranger_is_404(api_as, stranger, make_product):
    product = make_product()
    client = api_as(stranger)

    response = client.client.post(
        f"/api/catalog/products/{product.pk}/images",
        {"image": SimpleUploadedFile("a.png", image_bytes("PNG"))},
        **client.headers,
    )

    assert response.status_code == 404
    assert ProductImage.objects.count() == 0


def test_shop_products_show_drafts_to_staff_only(
    api_as, seller, stranger, seller_shop, make_product
):
    draft = make_product(names={"en": "Draft"}, listed=False)

    own = api_as(seller).get(f"catalog/shops/{seller_shop.pk}/products?status=draft")
    other = api_as(stranger).get(f"catalog/shops/{seller_shop.pk}/products")

    assert [p["id"] for p in own.json()["items"]] == [draft.pk]
    assert other.status_code == 404


def test_staff_view_of_draft(api_as, seller, stranger, make_product):
    draft = make_product(listed=False)

    own = api_as(seller).get(f"catalog/manage/products/{draft.pk}")
    other = api_as(stranger).get(f"catalog/manage/products/{draft.pk}")

    assert own.json()["status"] == "draft"
    assert other.status_code == 404


def test_product_detail_query_count_is_constant(
    make_product, seller, django_assert_num_queries
):
    product = make_product(
        skus=[{**SKU, "code": f"C{i}"} for i in range(12)],
    )
    for _ in range(3):
        services.add_product_image(
            product_id=product.pk,
            by=seller,
            upload=SimpleUploadedFile("a.png", image_bytes("PNG")),
        )

    with django_assert_num_queries(4):
        detail = selectors.product_detail(product_id=product.pk, language="en")

    assert len(detail["skus"]) == 12
    assert len(detail["images"]) == 3
    assert len(detail["breadcrumb"]) == 3


def test_refusals_are_worded_in_the_requests_language(api_as, seller, make_product):
    product = make_product()
    sku = product.skus.get()
    events = OutboxEvent.objects.count()
    chinese = api_as(seller, language="zh-hans")

    taken = chinese.post(
        f"catalog/products/{product.pk}/skus",
        {"code": "DEFAULT", "price": "59.5", "currency": "CNY"},
    )
    last = chinese.patch(f"catalog/skus/{sku.pk}", {"is_active": False})
    ban = chinese.post(f"catalog/products/{product.pk}/status", {"status": "banned"})
    english = api_as(seller).patch(f"catalog/skus/{sku.pk}", {"is_active": False})

    assert (taken.status_code, taken.json()["error"]["message"]) == (
        422,
        "该商品已有 SKU 编码 'DEFAULT'",
    )
    assert (last.status_code, last.json()["error"]["message"]) == (
        409,
        "这是已上架商品最后一个在售的 SKU，请先下架商品再停售该 SKU",
    )
    assert (ban.status_code, ban.json()["error"]["message"]) == (
        403,
        "只有平台运营人员可以封禁或解封商品",
    )
    assert english.json()["error"]["message"] == (
        "This is the last SKU on sale of a listed product; delist the product "
        "before taking it off sale"
    )
    product.refresh_from_db()
    assert product.status == Product.Status.LISTED
    assert list(product.skus.values_list("code", "is_active")) == [("DEFAULT", True)]
    assert OutboxEvent.objects.count() == events
