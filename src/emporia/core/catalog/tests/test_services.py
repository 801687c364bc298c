from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from emporia.core.catalog import services
from emporia.core.catalog.models import (
    Category,
    Product,
    ProductImage,
    ProductStatusChange,
    Sku,
)
from emporia.core.catalog.selectors import category_tree
from emporia.infra.outbox.models import OutboxEvent
from emporia.kernel.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)

from .conftest import image_bytes

pytestmark = pytest.mark.django_db

SKU = {
    "code": "RED-M",
    "attributes": {"颜色": "红色"},
    "price": "99.90",
    "currency": "CNY",
}


def _events(product_id):
    return list(
        OutboxEvent.objects.filter(
            topic="catalog.product_changed", payload__product_id=product_id
        ).values_list("payload", flat=True)
    )


# -- categories ---------------------------------------------------------------


def test_create_category_maintains_materialized_path(categories):
    apparel, women, dresses = (
        categories["apparel"],
        categories["women"],
        categories["dresses"],
    )

    assert apparel.path == f"/{apparel.pk}/"
    assert women.path == f"/{apparel.pk}/{women.pk}/"
    assert dresses.path == f"/{apparel.pk}/{women.pk}/{dresses.pk}/"


def test_create_category_is_for_operators_only(seller):
    with pytest.raises(PermissionDenied):
        services.create_category(by=seller, slug="toys", names={"en": "Toys"})

    assert Category.objects.count() == 0


def test_create_category_refuses_taken_slug(operator, categories):
    with pytest.raises(Conflict):
        services.create_category(by=operator, slug="dresses", names={"en": "x"})

    assert Category.objects.count() == 4


# -- products -----------------------------------------------------------------


def test_create_product_writes_draft_with_skus_and_event(
    seller, seller_shop, categories
):
    product = services.create_product(
        shop_id=seller_shop.pk,
        by=seller,
        names={"zh-hans": "法式碎花连衣裙", "en": "French floral dress"},
        descriptions={"zh-hans": "雪纺面料"},
        category_id=categories["dresses"].pk,
        skus=[SKU, {**SKU, "code": "RED-L", "price": "109.9"}],
        brand="Emporia",
        specs={"面料": "雪纺", "长度": 110},
    )

    product.refresh_from_db()
    assert product.status == "draft"
    assert product.slug == "french-floral-dress"
    assert product.names == {"zh-hans": "法式碎花连衣裙", "en": "French floral dress"}
    assert product.specs == {"面料": "雪纺", "长度": 110}
    assert list(product.skus.order_by("code").values_list("code", "price")) == [
        ("RED-L", Decimal("109.9000")),
        ("RED-M", Decimal("99.9000")),
    ]
    assert _events(product.pk) == [
        {"product_id": product.pk, "shop_id": seller_shop.pk}
    ]


def test_create_product_slug_stays_unique_per_shop(make_product):
    first = make_product(names={"en": "Linen shirt"}, listed=False)
    second = make_product(names={"en": "Linen shirt"}, listed=False)

    assert first.slug == "linen-shirt"
    assert second.slug.startswith("linen-shirt-")


def test_stranger_cannot_create_product_in_shop(stranger, seller_shop, categories):
    with pytest.raises(NotFound):
        services.create_product(
            shop_id=seller_shop.pk,
            by=stranger,
            names={"en": "Fake"},
            category_id=categories["dresses"].pk,
            skus=[SKU],
        )

    assert Product.objects.count() == 0
    assert OutboxEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"names": {"fr": "Robe"}}, "names needs Chinese (zh-hans) or English"),
        ({"names": {"en": "   "}}, "names needs Chinese (zh-hans) or English"),
        ({"names": {"en": "x" * 201}}, "names.en is too long"),
        ({"names": {"EN!": "x"}}, "is not a language code"),
        ({"brand": "b" * 81}, "brand is at most 80"),
        ({"skus": [{**SKU, "price": "-1"}]}, "price must be between 0 and"),
        ({"skus": [{**SKU, "price": "1000000000.01"}]}, "price must be between"),
        ({"skus": [{**SKU, "price": "1.00001"}]}, "more than 4 decimal places"),
        ({"skus": [{**SKU, "price": "NaN"}]}, "finite"),
        ({"skus": [{**SKU, "price": 9.9}]}, "decimal string"),
        ({"skus": [{**SKU, "currency": "XYZ"}]}, "not an ISO 4217 currency"),
        ({"skus": [{**SKU, "code": "bad code"}]}, "A SKU code is"),
        ({"skus": [SKU, SKU]}, "SKU codes must be unique"),
        (
            {"skus": [SKU, {**SKU, "code": "USD-1", "currency": "USD"}]},
            "share one currency",
        ),
        ({"skus": [{**SKU, "attributes": {"尺码": 42}}]}, "must be text"),
        ({"specs": {"k": [1, 2]}}, "specs.k must be text"),
        ({"category_id": 999999}, "There is no category 999999"),
    ],
)
def test_create_product_rejects_bad_input_and_writes_nothing(
    seller, seller_shop, categories, changes, message
):
    data = {
        "names": {"zh-hans": "连衣裙"},
        "category_id": categories["dresses"].pk,
        "skus": [SKU],
        **changes,
    }

    with pytest.raises(ValidationFailed) as error:
        services.create_product(shop_id=seller_shop.pk, by=seller, **data)

    assert message in error.value.message
    assert Product.objects.count() == 0
    assert Sku.objects.count() == 0
    assert OutboxEvent.objects.count() == 0


def test_update_product_changes_given_fields_only(make_product, seller, categories):
    product = make_product(names={"zh-hans": "旧名字"}, brand="Old", listed=False)

    services.update_product(
        product_id=product.pk,
        by=seller,
        names={"zh-hans": "新名字", "en": "New name"},
        category_id=categories["women"].pk,
    )

    product.refresh_from_db()
    assert product.names == {"zh-hans": "新名字", "en": "New name"}
    assert product.category_id == categories["women"].pk
    assert product.brand == "Old"
    assert len(_events(product.pk)) == 2


def test_other_shop_staff_cannot_update_product(make_product, other_shop_staff):
    product = make_product(names={"zh-hans": "原名"})

    with pytest.raises(NotFound):
        services.update_product(
            product_id=product.pk, by=other_shop_staff, names={"en": "Hijacked"}
        )

    product.refresh_from_db()
    assert product.names == {"zh-hans": "原名"}


# -- SKUs ---------------------------------------------------------------------


def test_add_sku_appends_variant(make_product, seller):
    product = make_product(listed=False)

    sku = services.add_sku(
        product_id=product.pk,
        by=seller,
        code="BLUE-S",
        price="88.8",
        currency="CNY",
        attributes={"颜色": "蓝色", "尺码": "S"},
    )

    assert sku.price == Decimal("88.8000")
    assert sorted(product.skus.values_list("code", flat=True)) == ["BLUE-S", "DEFAULT"]


def test_add_sku_refuses_duplicate_code_and_other_currency(make_product, seller):
    product = make_product(listed=False)

    with pytest.raises(ValidationFailed, match="already has a SKU"):
        services.add_sku(
            product_id=product.pk, by=seller, code="DEFAULT", price="1", currency="CNY"
        )
    with pytest.raises(ValidationFailed, match="priced in CNY"):
        services.add_sku(
            product_id=product.pk, by=seller, code="USD", price="1", currency="USD"
        )

    assert list(product.skus.values_list("code", flat=True)) == ["DEFAULT"]


def test_update_sku_changes_price_and_activity(make_product, seller):
    product = make_product(
        skus=[SKU, {**SKU, "code": "RED-L"}],
    )
    sku = product.skus.get(code="RED-L")

    services.update_sku(sku_id=sku.pk, by=seller, price="120.50", is_active=False)

    sku.refresh_from_db()
    assert (sku.price, sku.is_active) == (Decimal("120.5000"), False)


def test_last_active_sku_of_listed_product_cannot_go_off_sale(make_product, seller):
    product = make_product()
    sku = product.skus.get()

    with pytest.raises(Conflict):
        services.update_sku(sku_id=sku.pk, by=seller, is_active=False)

    sku.refresh_from_db()
    assert sku.is_active is True


def test_stranger_cannot_update_sku(make_product, stranger):
    sku = make_product().skus.get()

    with pytest.raises(NotFound, match="No such SKU"):
        services.update_sku(sku_id=sku.pk, by=stranger, price="0.01")

    sku.refresh_from_db()
    assert sku.price == Decimal("99.0000")


# -- status -------------------------------------------------------------------


def test_listing_records_history_and_event(make_product, seller):
    product = make_product(listed=False)

    services.set_product_status(
        product_id=product.pk, by=seller, status="listed", reason="上新"
    )

    product.refresh_from_db()
    assert product.status == "listed"
    assert list(
        ProductStatusChange.objects.values_list(
            "old_status", "new_status", "actor", "reason"
        )
    ) == [("draft", "listed", seller.pk, "上新")]
    assert len(_events(product.pk)) == 2


def test_listing_needs_an_active_sku(make_product, seller):
    product = make_product(skus=[], listed=False)

    with pytest.raises(ValidationFailed, match="at least one SKU on sale"):
        services.set_product_status(product_id=product.pk, by=seller, status="listed")

    product.refresh_from_db()
    assert product.status == "draft"
    assert ProductStatusChange.objects.count() == 0


def test_only_operators_ban(make_product, seller, operator):
    product = make_product()

    with pytest.raises(PermissionDenied):
        services.set_product_status(product_id=product.pk, by=seller, status="banned")
    product.refresh_from_db()
    assert product.status == "listed"

    services.set_product_status(
        product_id=product.pk, by=operator, status="banned", reason="假货"
    )
    product.refresh_from_db()
    assert product.status == "banned"


def test_shop_cannot_relist_a_banned_product(make_product, seller, operator):
    product = make_product()
    services.set_product_status(product_id=product.pk, by=operator, status="banned")

    with pytest.raises(InvalidTransition):
        services.set_product_status(product_id=product.pk, by=seller, status="listed")
    with pytest.raises(PermissionDenied):
        services.set_product_status(product_id=product.pk, by=seller, status="delisted")

    product.refresh_from_db()
    assert product.status == "banned"


def test_stranger_cannot_change_status(make_product, stranger):
    product = make_product()

    with pytest.raises(NotFound):
        services.set_product_status(
            product_id=product.pk, by=stranger, status="delisted"
        )

    product.refresh_from_db()
    assert product.status == "listed"


# -- images -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "ext"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")]
)
def test_add_product_image_accepts_real_images(make_product, seller, fmt, ext):
    product = make_product()
    upload = SimpleUploadedFile("photo.bin", image_bytes(fmt))

    image = services.add_product_image(
        product_id=product.pk, by=seller, upload=upload, alt="正面"
    )

    assert image.image.name.endswith(f".{ext}")
    assert (image.alt, image.position) == ("正面", 0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not an image at all", "not a readable image"),
        (b"", "empty"),
        (image_bytes("GIF"), "JPEG, PNG or WebP"),
        (image_bytes("PNG")[:40], "not a readable image"),
        (b"\x89PNG" + b"0" * (5 * 1024 * 1024), "at most 5 MB"),
    ],
)
def test_add_product_image_rejects_bad_files(make_product, seller, content, message):
    product = make_product()

    with pytest.raises(ValidationFailed, match=message):
        services.add_product_image(
            product_id=product.pk,
            by=seller,
            upload=SimpleUploadedFile("x.png", content),
        )

    assert ProductImage.objects.count() == 0


@pytest.mark.django_db
def test_the_category_tree_orders_siblings_by_position_then_id_not_by_path_text():
    # given roots with ids 9 and 10 (their paths "/9/" and "/10/" sort the
    # other way as text) and a child of 10 created before a child of 9
    nine = Category.objects.create(pk=9, slug="nine", names={"en": "Nine"}, path="/9/")
    ten = Category.objects.create(pk=10, slug="ten", names={"en": "Ten"}, path="/10/")
    Category.objects.create(
        pk=11, slug="under-ten", names={"en": "U10"}, parent=ten, path="/10/11/"
    )
    Category.objects.create(
        pk=12, slug="under-nine", names={"en": "U9"}, parent=nine, path="/9/12/"
    )
    # then roots come 9, 10 and each child sits under its own parent
    tree = category_tree(language="en")
    assert [(n["id"], [c["id"] for c in n["children"]]) for n in tree] == [
        (9, [12]),
        (10, [11]),
    ]
