"""factory_boy factories for core models, exposed as fixtures in conftest.py."""

from __future__ import annotations

from decimal import Decimal

import factory

from emporia.core.accounts.models import Address, Shop, ShopMember, User
from emporia.core.catalog.models import Category, Product, Sku
from emporia.core.inventory.models import Location, StockItem, StockMovement


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Shop {n}")
    slug = factory.Sequence(lambda n: f"shop-{n}")

    @factory.post_generation
    def owner(obj, create, extracted, **kwargs):
        if create:
            user = extracted or UserFactory()
            ShopMember.objects.create(shop=obj, user=user, role=ShopMember.Role.OWNER)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"category-{n}")
    names = factory.LazyAttribute(lambda o: {"en": o.slug.title(), "zh-hans": "分类"})

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        if create:
            prefix = obj.parent.path if obj.parent_id else "/"
            obj.path = f"{prefix}{obj.pk}/"
            obj.save(update_fields=["path"])


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    shop = factory.SubFactory(ShopFactory)
    category = factory.SubFactory(CategoryFactory)
    slug = factory.Sequence(lambda n: f"product-{n}")
    names = factory.Sequence(lambda n: {"en": f"Product {n}", "zh-hans": f"商品{n}"})
    status = Product.Status.LISTED


class SkuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sku

    product = factory.SubFactory(ProductFactory)
    code = factory.Sequence(lambda n: f"SKU-{n}")
    price = Decimal("19.90")
    currency = "CNY"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    shop = factory.SubFactory(ShopFactory)
    code = factory.Sequence(lambda n: f"wh-{n}")
    name = factory.Sequence(lambda n: f"Warehouse {n}")
    city = "Hangzhou"


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    user = factory.SubFactory(UserFactory)
    recipient = "张三"
    phone = "13800138000"
    country = "CN"
    province = "浙江省"
    city = "杭州市"
    district = "西湖区"
    line1 = "文三路 100 号"
    postcode = "310000"
    is_default = True


def stock(sku: Sku, quantity: int, location: Location | None = None) -> StockItem:
    """Put ``quantity`` units of ``sku`` on hand at a location of its shop,
    with the receipt movement that keeps the log equal to on-hand."""
    location = location or (
        Location.objects.filter(shop=sku.product.shop).first()
        or LocationFactory(shop=sku.product.shop)
    )
    item, _ = StockItem.objects.get_or_create(sku=sku, location=location)
    if quantity:
        StockItem.objects.filter(pk=item.pk).update(on_hand=item.on_hand + quantity)
        StockMovement.objects.create(
            stock_item=item,
            delta=quantity,
            kind=StockMovement.Kind.RECEIPT,
            reason="test stock",
        )
        item.refresh_from_db()
    return item
