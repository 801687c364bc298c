"""Catalog reads, shaped for the faces: the category tree, public product
pages and lists, a shop's own products, and the facts the search index needs.

Public reads show listed products of active shops only; a shop's staff see
their drafts too. Text is localized with :func:`models.localized` for the
caller's language. Every read here runs a fixed number of queries however
many SKUs, images or ancestors a product has.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from emporia.core.accounts import selectors as accounts
from emporia.core.accounts.models import Shop, User
from emporia.kernel.errors import NotFound
from emporia.kernel.money import Money

from .extensions import featured_sources
from .models import Category, Product, ProductImage, Sku

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Page:
    items: list[dict]
    total: int
    page: int
    page_size: int


def _ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _price(amount: Decimal, currency: str) -> dict:
    return {
        "price": str(amount),
        "money": Money.from_decimal(amount, currency).as_dict(),
    }


def sku_view(sku: Sku) -> dict:
    """A SKU as the API shows it: price as a string and as Money."""
    return {
        "id": sku.pk,
        "code": sku.code,
        "attributes": sku.attributes,
        "currency": sku.currency,
        "is_active": sku.is_active,
        "weight_grams": sku.weight_grams,
        **_price(sku.price, sku.currency),
    }


def image_view(image: ProductImage) -> dict:
    """An image as the API shows it."""
    return {
        "id": image.pk,
        "url": image.image.url,
        "alt": image.alt,
        "position": image.position,
    }


def _card(product: Product, language: str | None) -> dict:
    """The summary of a product for lists; needs ``skus`` and ``images`` prefetched."""
    active = [s for s in product.skus.all() if s.is_active]
    cheapest = min(active, key=lambda s: s.price) if active else None
    images = list(product.images.all())
    return {
        "id": product.pk,
        "name": product.name(language),
        "brand": product.brand,
        "status": product.status,
        "shop_id": product.shop_id,
        "category_id": product.category_id,
        "image": image_view(images[0]) if images else None,
        "currency": cheapest.currency if cheapest else None,
        "min_price": str(cheapest.price) if cheapest else None,
        "min_money": (
            Money.from_decimal(cheapest.price, cheapest.currency).as_dict()
            if cheapest
            else None
        ),
    }


def _with_parts(qs: QuerySet[Product], *, active_only: bool) -> QuerySet[Product]:
    skus = Sku.objects.order_by("price", "id")
    if active_only:
        skus = skus.filter(is_active=True)
    return qs.prefetch_related(Prefetch("skus", queryset=skus), "images")


def public_products() -> QuerySet[Product]:
    """Listed products of active shops: what anyone may see."""
    return Product.objects.filter(
        status=Product.Status.LISTED, shop__status=Shop.Status.ACTIVE
    )


def _breadcrumb(category: Category, language: str | None) -> list[dict]:
    ids = _ancestor_ids(category.path)
    found = {c.pk: c for c in Category.objects.filter(pk__in=ids)}
    return [
        {"id": found[i].pk, "slug": found[i].slug, "name": found[i].name(language)}
        for i in ids
        if i in found
    ]


def _detail(product: Product, language: str | None) -> dict:
    return {
        **_card(product, language),
        "slug": product.slug,
        "names": product.names,
        "description": product.description(language),
        "specs": product.specs,
        "created_at": product.created_at.isoformat(),
        "updated_at": product.updated_at.isoformat(),
        "shop": {
            "id": product.shop.pk,
            "name": product.shop.name,
            "slug": product.shop.slug,
        },
        "category": {
            "id": product.category.pk,
            "slug": product.category.slug,
            "name": product.category.name(language),
        },
        "breadcrumb": _breadcrumb(product.category, language),
        "skus": [sku_view(s) for s in product.skus.all()],
        "images": [image_view(i) for i in product.images.all()],
    }


def product_detail(*, product_id: int, language: str | None = None) -> dict:
    """A listed product of an active shop with its SKUs on sale, images,
    category breadcrumb and shop, in four queries. NotFound otherwise."""
    product = (
        _with_parts(public_products(), active_only=True)
        .select_related("shop", "category")
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise NotFound(_("No such product"))
    return _detail(product, language)


def staff_product_detail(
    *, user: User, product_id: int, language: str | None = None
) -> dict:
    """Any product of a shop ``user`` works for, whatever its status, with all
    its SKUs and its descriptions in every language (for the editor).
    NotFound for anyone else."""
    product = (
        _with_parts(Product.objects.all(), active_only=False)
        .select_related("shop", "category")
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise NotFound(_("No such product"))
    try:
        accounts.staff_shop(user=user, shop_id=product.shop_id)
    except NotFound:
        raise NotFound(_("No such product")) from None
    return {**_detail(product, language), "descriptions": product.descriptions}


def _page(
    qs: QuerySet[Product], *, page: int, page_size: int, language: str | None
) -> Page:
    page = max(1, page)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    total = qs.count()
    start = (page - 1) * page_size
    rows = list(qs[start : start + page_size]) if start < total else []
    return Page(
        items=[_card(p, language) for p in rows],
        total=total,
        page=page,
        page_size=page_size,
    )


def product_list(
    *,
    category_id: int | None = None,
    shop_id: int | None = None,
    page: int = 1,
    page_size: int = 20,
    language: str | None = None,
) -> Page:
    """Public products, newest first, optionally in a category (and every
    category under it) and/or of one shop. An unknown category lists nothing."""
    qs = public_products()
    if category_id is not None:
        path = (
            Category.objects.filter(pk=category_id).values_list("path", flat=True)
        ).first()
        qs = qs.none() if path is None else qs.filter(category__path__startswith=path)
    if shop_id is not None:
        qs = qs.filter(shop_id=shop_id)
    qs = _with_parts(qs.order_by("-created_at", "-id"), active_only=True)
    return _page(qs, page=page, page_size=page_size, language=language)


def shop_products(
    *,
    user: User,
    shop_id: int,
    status: str | None = None,
    page: int = 1,
    page_size: int = 20,
    language: str | None = None,
) -> Page:
    """All products of a shop ``user`` works for, drafts included, newest
    first. NotFound for anyone else."""
    shop = accounts.staff_shop(user=user, shop_id=shop_id)
    qs = Product.objects.filter(shop=shop)
    if status:
        qs = qs.filter(status=status)
    qs = _with_parts(qs.order_by("-created_at", "-id"), active_only=False)
    return _page(qs, page=page, page_size=page_size, language=language)


def category_tree(*, language: str | None = None) -> list[dict]:
    """The whole category tree as nested dicts, in one query."""
    # Siblings by position, then id. Not by path: "/10/" sorts before "/7/".
    categories = list(Category.objects.order_by("position", "id"))
    nodes = {
        c.pk: {"id": c.pk, "slug": c.slug, "name": c.name(language), "children": []}
        for c in categories
    }
    roots: list[dict] = []
    for c in categories:
        parent = nodes.get(c.parent_id) if c.parent_id else None
        (parent["children"] if parent else roots).append(nodes[c.pk])
    return roots


def category_ids_under(category_id: int) -> list[int]:
    """The category and all its descendants (empty for an unknown id)."""
    path = Category.objects.filter(pk=category_id).values_list("path", flat=True)
    path = path.first()
    if path is None:
        return []
    return list(
        Category.objects.filter(path__startswith=path).values_list("pk", flat=True)
    )


def category_path(category_id: int) -> str | None:
    return (
        Category.objects.filter(pk=category_id).values_list("path", flat=True).first()
    )


@dataclass(frozen=True)
class IndexableProduct:
    """What the search index needs to know about a product."""

    id: int
    shop_id: int
    category_path: str
    texts: list[str] = field(default_factory=list)
    min_price: Decimal = Decimal(0)
    currency: str = "CNY"
    listed: bool = False


def indexable_product(product_id: int) -> IndexableProduct | None:
    """The searchable text (names and descriptions in every language, brand,
    category names up the tree, SKU attribute values) and facts of a product,
    in three queries; None when there is no such product."""
    product = (
        Product.objects.select_related("category", "shop")
        .prefetch_related("skus")
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        return None
    texts: list[str] = [*product.names.values(), product.brand]
    ancestors = Category.objects.filter(pk__in=_ancestor_ids(product.category.path))
    for category in ancestors:
        texts.extend(category.names.values())
    active = [s for s in product.skus.all() if s.is_active]
    for sku in active:
        texts.extend(str(v) for v in sku.attributes.values())
    texts.extend(product.descriptions.values())
    cheapest = min(active, key=lambda s: s.price) if active else None
    return IndexableProduct(
        id=product.pk,
        shop_id=product.shop_id,
        category_path=product.category.path,
        texts=[t for t in texts if t],
        min_price=cheapest.price if cheapest else Decimal(0),
        currency=cheapest.currency if cheapest else product.shop.currency,
        listed=product.is_listed and bool(active),
    )


def product_cards(
    product_ids: Iterable[int], *, language: str | None = None
) -> dict[int, dict]:
    """List summaries of public products by id (three queries)."""
    qs = _with_parts(
        public_products().filter(pk__in=list(product_ids)), active_only=True
    )
    return {p.pk: _card(p, language) for p in qs}


def all_product_ids() -> list[int]:
    """Every product id, in order (for rebuilding indexes)."""
    return list(Product.objects.order_by("pk").values_list("pk", flat=True))


def top_category_ids(product_ids: Iterable[int]) -> dict[int, int]:
    """The top-level category (root of the tree) of each product, by product
    id, in one query; products that do not exist are left out."""
    rows = Product.objects.filter(pk__in=list(product_ids)).values_list(
        "pk", "category__path", "category_id"
    )
    return {
        pk: (_ancestor_ids(path) or [category_id])[0] for pk, path, category_id in rows
    }


def shop_top_category_id(shop_id: int) -> int | None:
    """The top-level category most of a shop's listed products sit in (ties:
    the lowest id); None for a shop with nothing listed. Two queries."""
    rows = list(
        Product.objects.filter(shop_id=shop_id, status=Product.Status.LISTED)
        .values_list("category_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, int] = {}
    paths = dict(
        Category.objects.filter(pk__in=[c for c, _ in rows]).values_list("pk", "path")
    )
    for category_id, n in rows:
        top = (_ancestor_ids(paths.get(category_id, "")) or [category_id])[0]
        counts[top] = counts.get(top, 0) + n
    if not counts:
        return None
    return min(counts, key=lambda c: (-counts[c], c))


@dataclass(frozen=True)
class FeaturedShelf:
    """One shelf of the storefront home, ready to render."""

    key: str
    title: str
    reason: str
    items: list[dict]


def featured_shelves(
    *, user, limit: int = 8, language: str | None = None
) -> list[FeaturedShelf]:
    """Every registered featured source's shelf (``extensions.featured_sources``,
    in registry order) with its products as cards, in the source's order.
    Sources run with ``language`` active, so their gettext titles match it.
    Products that are not public are dropped; empty shelves are left out."""
    limit = min(max(1, limit), MAX_PAGE_SIZE)
    shelves = []
    for source in featured_sources:
        with translation.override(language or translation.get_language()):
            shelf = source.featured(user=user, limit=limit, language=language)
        if shelf is None:
            continue
        ids = list(dict.fromkeys(shelf.product_ids))[:limit]
        cards = product_cards(ids, language=language)
        items = [cards[i] for i in ids if i in cards]
        if items:
            shelves.append(
                FeaturedShelf(
                    key=shelf.key, title=shelf.title, reason=shelf.reason, items=items
                )
            )
    return shelves
