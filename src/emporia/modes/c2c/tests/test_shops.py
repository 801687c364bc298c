"""Free shop opening and the listing limits of individual shops."""

import pytest
from django.utils import translation

from emporia.core.accounts.models import Shop
from emporia.core.catalog import services as catalog
from emporia.core.catalog.models import Product
from emporia.core.orders import services as order_services
from emporia.kernel.errors import Conflict, NotFound, ValidationFailed
from emporia.modes.c2c.models import SellerIdentity
from emporia.modes.c2c.selectors import shops as selectors
from emporia.modes.c2c.services import shops

from .trust_helpers import make_id_number

pytestmark = pytest.mark.django_db


def open_for(user, number, **kw):
    return shops.open_individual_shop(
        owner=user,
        shop_name=kw.get("name", "Corner Shop"),
        real_name=kw.get("real_name", "李雷"),
        id_number=number,
        mobile=kw.get("mobile", "13912345678"),
    )


def test_a_person_opens_an_individual_shop_with_identity_only(user):
    number = make_id_number(7)
    shop = open_for(user, number)
    assert shop.kind == Shop.Kind.INDIVIDUAL
    assert shop.members.get().user == user
    identity = SellerIdentity.objects.get(shop=shop)
    assert identity.real_name == "李雷"
    assert identity.id_number_masked == number[:3] + "*" * 11 + number[-4:]
    assert identity.id_number_hash == shops.id_number_hash(number)
    # the raw number is stored nowhere on the identity row
    assert all(number not in str(v) for v in vars(identity).values())


def test_one_id_number_opens_one_shop(user_factory):
    number = make_id_number(8)
    open_for(user_factory(), number)
    other = user_factory()
    with (
        translation.override("en"),
        pytest.raises(Conflict, match="already opened with this ID number"),
    ):
        open_for(other, number.lower())
    assert Shop.objects.count() == 1


def test_one_person_has_one_individual_shop(user):
    open_for(user, make_id_number(9))
    with translation.override("en"), pytest.raises(Conflict, match="already have"):
        open_for(user, make_id_number(10))
    assert Shop.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "kw"),
    [
        ("id_number", {"number": "11010519491231002" + "1"}),
        ("mobile", {"mobile": "123"}),
        ("real_name", {"real_name": "x"}),
        ("name", {"name": ""}),
    ],
)
def test_bad_details_are_refused_and_nothing_is_written(user, field, kw):
    number = kw.pop("number", make_id_number(11))
    with pytest.raises(ValidationFailed) as err:
        open_for(user, number, **kw)
    assert err.value.details["field"] == field
    assert Shop.objects.count() == 0
    assert SellerIdentity.objects.count() == 0


def _drafts(shop, owner, category, n):
    return [
        catalog.create_product(
            shop_id=shop.pk,
            by=owner,
            names={"en": f"Thing {i}"},
            category_id=category.pk,
            skus=[{"code": f"T{i}", "price": "5.00", "currency": "CNY"}],
        )
        for i in range(n)
    ]


def test_a_new_shop_lists_up_to_its_tier_limit(
    individual_shop, user, category, settings
):
    # given tiers of 2 listings for new shops, 3 after one good order
    settings.EMPORIA = {**settings.EMPORIA, "C2C_LISTING_TIERS": [(0, 2), (1, 3)]}
    shop = individual_shop(owner=user)
    products = _drafts(shop, user, category, 3)
    for p in products[:2]:
        catalog.set_product_status(product_id=p.pk, by=user, status="listed")
    # when the third is listed
    with (
        translation.override("en"),
        pytest.raises(Conflict, match=r"at most 2 products.*after 1 good orders") as e,
    ):
        catalog.set_product_status(product_id=products[2].pk, by=user, status="listed")
    # then it is refused and stays a draft
    assert e.value.code == "listing_limit"
    assert Product.objects.get(pk=products[2].pk).status == "draft"


def test_the_limit_lifts_with_completed_orders(
    individual_shop, user, category, settings, delivered_order
):
    # given a shop at its limit of 2 (one product listed here, one by the order)
    settings.EMPORIA = {**settings.EMPORIA, "C2C_LISTING_TIERS": [(0, 2), (1, 3)]}
    shop = individual_shop(owner=user)
    first, second = _drafts(shop, user, category, 2)
    catalog.set_product_status(product_id=first.pk, by=user, status="listed")
    order = delivered_order(shop=shop)
    with pytest.raises(Conflict):
        catalog.set_product_status(product_id=second.pk, by=user, status="listed")
    # when the buyer confirms receipt
    order_services.confirm_receipt(order=order, buyer=order.buyer)
    # then the shop has one good order and may list a third product
    assert selectors.listing_tier(shop.pk).limit == 3
    catalog.set_product_status(product_id=second.pk, by=user, status="listed")
    assert Product.objects.get(pk=second.pk).status == "listed"


def test_enterprise_shops_have_no_listing_limit(shop, category, settings):
    settings.EMPORIA = {**settings.EMPORIA, "C2C_LISTING_TIERS": [(0, 0)]}
    owner = shop.members.get().user
    (product,) = _drafts(shop, owner, category, 1)
    catalog.set_product_status(product_id=product.pk, by=owner, status="listed")
    assert Product.objects.get(pk=product.pk).status == "listed"


def test_tiers_are_looked_up_by_good_orders():
    assert selectors.tier_for(0) == (50, 10, 200)
    assert selectors.tier_for(10) == (200, 50, 1000)
    assert selectors.tier_for(199) == (1000, 200, None)
    assert selectors.tier_for(200) == (None, None, None)


def test_an_individual_shop_opened_elsewhere_verifies_its_owner(
    shop_factory, user, user_factory
):
    shop = shop_factory(kind="individual", owner=user)
    with pytest.raises(NotFound):
        shops.verify_individual_shop(
            shop=shop,
            owner=user_factory(),
            real_name="李雷",
            id_number=make_id_number(12),
            mobile="13912345678",
        )
    identity = shops.verify_individual_shop(
        shop=shop,
        owner=user,
        real_name="李雷",
        id_number=make_id_number(12),
        mobile="13912345678",
    )
    assert identity.shop == shop
    with translation.override("en"), pytest.raises(Conflict, match="already"):
        shops.verify_individual_shop(
            shop=shop,
            owner=user,
            real_name="李雷",
            id_number=make_id_number(13),
            mobile="13912345678",
        )
    assert SellerIdentity.objects.count() == 1
