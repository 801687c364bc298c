"""Catalog writes: categories, products, SKUs, images and listing status.

Every product write is made by staff of the product's shop (platform
operators count as staff of every shop); anyone else gets NotFound, so a
stranger cannot learn that a product id exists. Every change to a product
emits ``catalog.product_changed`` in the same transaction, which is how the
search index and other readers learn of it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from emporia.core.accounts import selectors as accounts
from emporia.core.accounts.models import Shop, User
from emporia.infra import images
from emporia.infra.outbox.services import emit
from emporia.kernel import clock
from emporia.kernel.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from . import rules, states
from .events import ProductChanged
from .extensions import ListingRequest, listing_policies
from .models import Category, Product, ProductImage, ProductStatusChange, Sku

MAX_IMAGES = 20
MAX_CATEGORY_DEPTH = 8


def _changed(product: Product) -> None:
    Product.objects.filter(pk=product.pk).update(updated_at=clock.now())
    emit(ProductChanged(product_id=product.pk, shop_id=product.shop_id))


def _staff_product(*, by: User, product_id: int) -> Product:
    """The product, locked, if ``by`` is staff of its shop; else NotFound."""
    product = Product.objects.select_for_update().filter(pk=product_id).first()
    if product is None:
        raise NotFound(_("No such product"))
    try:
        accounts.staff_shop(user=by, shop_id=product.shop_id)
    except NotFound:
        raise NotFound(_("No such product")) from None
    return product


def _category(category_id: int) -> Category:
    category = Category.objects.filter(pk=category_id).first()
    if category is None:
        raise ValidationFailed(
            _("There is no category %(id)s") % {"id": category_id},
            field="category_id",
        )
    return category


def _unique_slug(*, shop_id: int, names: dict[str, str]) -> str:
    base = slugify(names.get("en", "")) or "product"
    base = base[:100]
    candidate = base
    while Product.objects.filter(shop_id=shop_id, slug=candidate).exists():
        candidate = f"{base}-{uuid.uuid4().hex[:8]}"
    return candidate


def _clean_sku(data: dict) -> dict:
    if not isinstance(data, dict):
        raise ValidationFailed(_("Each SKU must be an object"), field="skus")
    return {
        "code": rules.sku_code(data.get("code")),
        "attributes": rules.attributes(data.get("attributes")),
        "price": rules.price(data.get("price")),
        "currency": rules.currency(data.get("currency")),
        "weight_grams": rules.weight_grams(data.get("weight_grams", 0)),
    }


def _check_currency(product: Product, currency: str) -> None:
    other = (
        Sku.objects.filter(product=product)
        .exclude(currency=currency)
        .values_list("currency", flat=True)
        .first()
    )
    if other:
        raise ValidationFailed(
            _("This product is priced in %(currency)s; all its SKUs share one currency")
            % {"currency": other},
            field="currency",
        )


@transaction.atomic
def create_category(
    *,
    by: User,
    slug: str,
    names: dict[str, str],
    parent_id: int | None = None,
    position: int = 0,
) -> Category:
    """Add a node to the category tree (platform operators only).

    Maintains the materialized ``path`` ("/1/5/12/"): the parent's path plus
    the new id. Raises PermissionDenied for non-operators, ValidationFailed
    for a bad slug, names or unknown parent, Conflict for a taken slug.
    """
    if not by.is_operator:
        raise PermissionDenied(_("Only platform operators edit the category tree"))
    cleaned_names = rules.names(names)
    slug = (slug or "").strip()
    if not slug or slug != slugify(slug) or len(slug) > 80:
        raise ValidationFailed(
            _("slug is 1 to 80 lowercase letters, digits and hyphens"), field="slug"
        )
    if Category.objects.filter(slug=slug).exists():
        raise Conflict(
            _("The category slug %(slug)s is taken") % {"slug": repr(slug)},
            field="slug",
        )
    parent = None
    if parent_id is not None:
        parent = Category.objects.filter(pk=parent_id).first()
        if parent is None:
            raise ValidationFailed(
                _("There is no category %(id)s") % {"id": parent_id},
                field="parent_id",
            )
        if parent.path.count("/") - 1 >= MAX_CATEGORY_DEPTH:
            raise ValidationFailed(
                _("Categories nest at most %(max)s levels deep")
                % {"max": MAX_CATEGORY_DEPTH},
                field="parent_id",
            )
    category = Category.objects.create(
        parent=parent, slug=slug, names=cleaned_names, position=max(0, position)
    )
    category.path = f"{parent.path if parent else '/'}{category.pk}/"
    category.save(update_fields=["path"])
    return category


@transaction.atomic
def create_product(
    *,
    shop_id: int,
    by: User,
    names: dict[str, str],
    category_id: int,
    descriptions: dict[str, str] | None = None,
    skus: Sequence[dict] = (),
    brand: str = "",
    specs: dict | None = None,
) -> Product:
    """Create a draft product with its SKUs in a shop ``by`` works for.

    ``skus`` items: ``{code, attributes, price, currency, weight_grams?}``;
    codes unique within the product, one currency for all SKUs. Raises
    NotFound when ``by`` is not staff of the shop, ValidationFailed for any
    bad field (nothing is written). Emits ``catalog.product_changed``.
    """
    shop = accounts.staff_shop(user=by, shop_id=shop_id)
    cleaned_names = rules.names(names)
    cleaned_descriptions = rules.descriptions(descriptions)
    category = _category(category_id)
    if len(skus) > rules.MAX_SKUS:
        raise ValidationFailed(
            _("A product has at most %(max)s SKUs") % {"max": rules.MAX_SKUS},
            field="skus",
        )
    cleaned_skus = [_clean_sku(data) for data in skus]
    codes = [s["code"] for s in cleaned_skus]
    if len(set(codes)) != len(codes):
        raise ValidationFailed(_("SKU codes must be unique in a product"), field="skus")
    if len({s["currency"] for s in cleaned_skus}) > 1:
        raise ValidationFailed(
            _("All SKUs of a product share one currency"), field="currency"
        )
    now = clock.now()
    product = Product.objects.create(
        shop=shop,
        category=category,
        slug=_unique_slug(shop_id=shop.pk, names=cleaned_names),
        names=cleaned_names,
        descriptions=cleaned_descriptions,
        brand=rules.brand(brand),
        specs=rules.specs(specs),
        status=Product.Status.DRAFT,
        created_at=now,
        updated_at=now,
    )
    Sku.objects.bulk_create(Sku(product=product, **data) for data in cleaned_skus)
    emit(ProductChanged(product_id=product.pk, shop_id=shop.pk))
    return product


@transaction.atomic
def update_product(
    *,
    product_id: int,
    by: User,
    names: dict[str, str] | None = None,
    descriptions: dict[str, str] | None = None,
    category_id: int | None = None,
    brand: str | None = None,
    specs: dict | None = None,
) -> Product:
    """Change the given fields of a product (None leaves a field as it is).

    Raises NotFound for a stranger, ValidationFailed for a bad field.
    Emits ``catalog.product_changed``.
    """
    product = _staff_product(by=by, product_id=product_id)
    if names is not None:
        product.names = rules.names(names)
    if descriptions is not None:
        product.descriptions = rules.descriptions(descriptions)
    if category_id is not None:
        product.category = _category(category_id)
    if brand is not None:
        product.brand = rules.brand(brand)
    if specs is not None:
        product.specs = rules.specs(specs)
    product.updated_at = clock.now()
    product.save()
    _changed(product)
    return product


@transaction.atomic
def note_product_changed(*, product_id: int, by: User) -> None:
    """Tell readers (the search index, caches) that a product was changed
    through a form that writes the models itself — the Django admin's
    product, SKU and image forms. Touches ``updated_at`` and emits
    ``catalog.product_changed``. NotFound unless ``by`` is staff of the
    product's shop or a platform operator."""
    product = _staff_product(by=by, product_id=product_id)
    _changed(product)


@transaction.atomic
def add_sku(
    *,
    product_id: int,
    by: User,
    code: str,
    price: Decimal | str,
    currency: str,
    attributes: dict[str, str] | None = None,
    weight_grams: int = 0,
) -> Sku:
    """Add a variant to a product. Its code must be new in the product and its
    currency that of the product's other SKUs. Emits ``catalog.product_changed``.
    """
    product = _staff_product(by=by, product_id=product_id)
    data = _clean_sku(
        {
            "code": code,
            "price": price,
            "currency": currency,
            "attributes": attributes,
            "weight_grams": weight_grams,
        }
    )
    if Sku.objects.filter(product=product, code=data["code"]).exists():
        raise ValidationFailed(
            _("This product already has a SKU %(code)s") % {"code": repr(data["code"])},
            field="code",
        )
    _check_currency(product, data["currency"])
    if Sku.objects.filter(product=product).count() >= rules.MAX_SKUS:
        raise ValidationFailed(
            _("A product has at most %(max)s SKUs") % {"max": rules.MAX_SKUS},
            field="skus",
        )
    sku = Sku.objects.create(product=product, **data)
    _changed(product)
    return sku


@transaction.atomic
def update_sku(
    *,
    sku_id: int,
    by: User,
    price: Decimal | str | None = None,
    is_active: bool | None = None,
) -> Sku:
    """Change a SKU's price and/or whether it is on sale.

    The last active SKU of a listed product cannot be deactivated (Conflict):
    delist the product first. Emits ``catalog.product_changed``.
    """
    product_id = Sku.objects.filter(pk=sku_id).values_list("product_id", flat=True)
    product_id = product_id.first()
    if product_id is None:
        raise NotFound(_("No such SKU"))
    try:
        product = _staff_product(by=by, product_id=product_id)
    except NotFound:
        raise NotFound(_("No such SKU")) from None
    sku = Sku.objects.get(pk=sku_id)
    if price is not None:
        sku.price = rules.price(price)
    if is_active is not None:
        if not isinstance(is_active, bool):
            raise ValidationFailed(_("is_active must be true or false"), field="active")
        if (
            not is_active
            and sku.is_active
            and product.is_listed
            and not Sku.objects.filter(product=product, is_active=True)
            .exclude(pk=sku.pk)
            .exists()
        ):
            raise Conflict(
                _(
                    "This is the last SKU on sale of a listed product; delist the "
                    "product before taking it off sale"
                )
            )
        sku.is_active = is_active
    sku.save(update_fields=["price", "is_active"])
    _changed(product)
    return sku


@transaction.atomic
def set_product_status(
    *, product_id: int, by: User, status: str, reason: str = ""
) -> Product:
    """Move a product along ``states.TRANSITIONS`` and record who did it.

    Listing needs at least one active SKU and the consent of every
    ``extensions.listing_policies`` entry (Conflict ``listing_limit``). Banning, and lifting a ban, are for
    platform operators (PermissionDenied for shop staff); other changes for
    staff of the shop (NotFound for anyone else). Setting the current status
    again changes nothing. The change is a compare-and-swap on the old status,
    writes a ProductStatusChange and emits ``catalog.product_changed``.
    """
    if status not in Product.Status.values:
        raise ValidationFailed(
            _("Unknown product status %(status)s") % {"status": repr(status)},
            field="status",
        )
    product = _staff_product(by=by, product_id=product_id)
    old = product.status
    if old == status:
        return product
    if (old, status) in states.OPERATOR_ONLY and not by.is_operator:
        raise PermissionDenied(_("Only platform operators ban or unban products"))
    states.check(old, status)
    if (
        status == Product.Status.LISTED
        and not Sku.objects.filter(product=product, is_active=True).exists()
    ):
        raise ValidationFailed(
            _("A product needs at least one SKU on sale to be listed"),
            field="status",
        )
    if status == Product.Status.LISTED:
        _check_listing_policies(product)
    now = clock.now()
    swapped = Product.objects.filter(pk=product.pk, status=old).update(
        status=status, updated_at=now
    )
    if not swapped:
        raise Conflict(_("The product's status changed meanwhile; try again"))
    ProductStatusChange.objects.create(
        product=product,
        old_status=old,
        new_status=status,
        actor=by,
        reason=(reason or "")[:500],
        changed_at=now,
    )
    emit(ProductChanged(product_id=product.pk, shop_id=product.shop_id))
    product.status, product.updated_at = status, now
    return product


def _check_listing_policies(product: Product) -> None:
    """Ask ``extensions.listing_policies`` whether the shop may list one more
    product; Conflict (``listing_limit``) with the policy's reason if not.
    The shop row is locked first so concurrent listings are counted in turn."""
    if not len(listing_policies):
        return
    shop = Shop.objects.select_for_update().get(pk=product.shop_id)
    request = ListingRequest(
        shop_id=shop.pk,
        shop_kind=shop.kind,
        product_id=product.pk,
        listed_count=Product.objects.filter(
            shop_id=shop.pk, status=Product.Status.LISTED
        )
        .exclude(pk=product.pk)
        .count(),
    )
    for policy in listing_policies:
        decision = policy.decide(request)
        if decision is not None and not decision.allowed:
            raise Conflict(
                decision.reason or _("This shop cannot list more products now"),
                code="listing_limit",
                limit=decision.limit,
            )


@transaction.atomic
def add_product_image(
    *, product_id: int, by: User, upload, alt: str = ""
) -> ProductImage:
    """Attach an image (a real JPEG, PNG or WebP of at most 5 MB) to a product,
    after its existing images. At most 20 images per product.
    Emits ``catalog.product_changed``.
    """
    product = _staff_product(by=by, product_id=product_id)
    if ProductImage.objects.filter(product=product).count() >= MAX_IMAGES:
        raise ValidationFailed(
            _("A product has at most %(max)s images") % {"max": MAX_IMAGES},
            field="image",
        )
    data, ext = images.read_image(upload, field="image")
    alt = (alt or "").strip()
    if len(alt) > 200:
        raise ValidationFailed(_("alt is at most 200 characters"), field="alt")
    last = ProductImage.objects.filter(product=product).aggregate(m=Max("position"))
    image = ProductImage(
        product=product,
        alt=alt,
        position=(last["m"] + 1) if last["m"] is not None else 0,
    )
    image.image.save(
        f"{product.pk}-{uuid.uuid4().hex[:12]}.{ext}", ContentFile(data), save=False
    )
    image.save()
    _changed(product)
    return image
