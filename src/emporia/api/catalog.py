"""HTTP API: catalog.

Public: the category tree, product lists and product pages. Shop staff:
create and edit products, SKUs, listing status and images. Text comes back
in the language of ``?lang=`` or else of the request (Accept-Language).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, File, Form, Path, Query, Router, Schema
from ninja.files import UploadedFile

from emporia.core.catalog import selectors, services
from emporia.core.catalog.models import Product

from .auth import AUTH

router = Router(tags=["Catalog"])

MAX_ID = 2**63 - 1
LANG_PATTERN = r"^[a-z]{2,3}(-[a-zA-Z0-9]{2,8}){0,2}$"
MAX_PRICE = Decimal(10**9)


def language_of(request: HttpRequest, lang: str | None) -> str:
    """The language asked for with ``?lang=``, else the request's."""
    return (lang or translation.get_language() or "zh-hans").lower()


class SkuIn(Schema):
    code: str = Field(min_length=1, max_length=64)
    attributes: dict[str, str] = Field(default_factory=dict, max_length=10)
    price: Decimal = Field(ge=0, le=MAX_PRICE, max_digits=14, decimal_places=4)
    currency: str = Field(min_length=3, max_length=3)
    weight_grams: int = Field(0, ge=0, le=10**7, strict=True)


class ProductIn(Schema):
    names: dict[str, str] = Field(max_length=10)
    descriptions: dict[str, str] = Field(default_factory=dict, max_length=10)
    category_id: int = Field(ge=1, le=MAX_ID, strict=True)
    skus: list[SkuIn] = Field(default_factory=list, max_length=200)
    brand: str = Field("", max_length=80)
    specs: dict[str, str | int | float | bool] = Field(
        default_factory=dict, max_length=50
    )


class ProductPatch(Schema):
    names: dict[str, str] | None = Field(None, max_length=10)
    descriptions: dict[str, str] | None = Field(None, max_length=10)
    category_id: int | None = Field(None, ge=1, le=MAX_ID, strict=True)
    brand: str | None = Field(None, max_length=80)
    specs: dict[str, str | int | float | bool] | None = Field(None, max_length=50)


class SkuPatch(Schema):
    price: Decimal | None = Field(
        None, ge=0, le=MAX_PRICE, max_digits=14, decimal_places=4
    )
    is_active: bool | None = None


class StatusIn(Schema):
    status: Literal["draft", "listed", "delisted", "banned"]
    reason: str = Field("", max_length=500)


class ListQuery(Schema):
    category: int | None = Field(None, ge=1, le=MAX_ID)
    shop: int | None = Field(None, ge=1, le=MAX_ID)
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)
    lang: str | None = Field(None, max_length=20, pattern=LANG_PATTERN)


class StaffListQuery(Schema):
    status: Literal["draft", "listed", "delisted", "banned"] | None = None
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)
    lang: str | None = Field(None, max_length=20, pattern=LANG_PATTERN)


def _page(page: selectors.Page) -> dict:
    return {
        "items": page.items,
        "total": page.total,
        "page": page.page,
        "page_size": page.page_size,
    }


# -- public -------------------------------------------------------------------


@router.get("categories")
def categories(
    request,
    lang: str | None = Query(None, max_length=20, pattern=LANG_PATTERN),
):
    """The category tree."""
    return {"categories": selectors.category_tree(language=language_of(request, lang))}


@router.get("products")
def products(request, filters: Query[ListQuery]):
    """Listed products, newest first, by category (with its subcategories)
    and/or shop."""
    return _page(
        selectors.product_list(
            category_id=filters.category,
            shop_id=filters.shop,
            page=filters.page,
            page_size=filters.page_size,
            language=language_of(request, filters.lang),
        )
    )


@router.get("products/{product_id}")
def product(
    request,
    product_id: int = Path(..., ge=1, le=MAX_ID),
    lang: str | None = Query(None, max_length=20, pattern=LANG_PATTERN),
):
    """A listed product with its SKUs on sale, images, breadcrumb and shop."""
    return selectors.product_detail(
        product_id=product_id, language=language_of(request, lang)
    )


# -- shop staff ---------------------------------------------------------------


@router.get("shops/{shop_id}/products", auth=AUTH)
def shop_products(
    request, filters: Query[StaffListQuery], shop_id: int = Path(..., ge=1, le=MAX_ID)
):
    """All products of a shop you work for, drafts included."""
    return _page(
        selectors.shop_products(
            user=request.auth,
            shop_id=shop_id,
            status=filters.status,
            page=filters.page,
            page_size=filters.page_size,
            language=language_of(request, filters.lang),
        )
    )


def _staff_view(request, product_id: int) -> dict:
    return selectors.staff_product_detail(
        user=request.auth,
        product_id=product_id,
        language=language_of(request, None),
    )


@router.get("manage/products/{product_id}", auth=AUTH)
def staff_product(request, product_id: int = Path(..., ge=1, le=MAX_ID)):
    """A product of a shop you work for, whatever its status, with all SKUs."""
    return _staff_view(request, product_id)


@router.post("shops/{shop_id}/products", auth=AUTH, response={201: dict})
def create_product(
    request, payload: ProductIn, shop_id: int = Path(..., ge=1, le=MAX_ID)
):
    """Create a draft product with its SKUs."""
    created = services.create_product(
        shop_id=shop_id,
        by=request.auth,
        names=payload.names,
        descriptions=payload.descriptions,
        category_id=payload.category_id,
        skus=[s.model_dump() for s in payload.skus],
        brand=payload.brand,
        specs=payload.specs,
    )
    return 201, _staff_view(request, created.pk)


@router.patch("products/{product_id}", auth=AUTH)
def update_product(
    request, payload: ProductPatch, product_id: int = Path(..., ge=1, le=MAX_ID)
):
    """Change a product's names, descriptions, category, brand or specs."""
    services.update_product(
        product_id=product_id, by=request.auth, **payload.model_dump(exclude_none=True)
    )
    return _staff_view(request, product_id)


@router.post("products/{product_id}/skus", auth=AUTH, response={201: dict})
def add_sku(request, payload: SkuIn, product_id: int = Path(..., ge=1, le=MAX_ID)):
    """Add a SKU (variant) to a product."""
    sku = services.add_sku(product_id=product_id, by=request.auth, **payload.dict())
    return 201, selectors.sku_view(sku)


@router.patch("skus/{sku_id}", auth=AUTH)
def update_sku(request, payload: SkuPatch, sku_id: int = Path(..., ge=1, le=MAX_ID)):
    """Change a SKU's price or take it on or off sale."""
    sku = services.update_sku(
        sku_id=sku_id, by=request.auth, price=payload.price, is_active=payload.is_active
    )
    return selectors.sku_view(sku)


@router.post("products/{product_id}/status", auth=AUTH)
def set_status(
    request, payload: StatusIn, product_id: int = Path(..., ge=1, le=MAX_ID)
):
    """List, delist or (operators) ban a product."""
    product: Product = services.set_product_status(
        product_id=product_id,
        by=request.auth,
        status=payload.status,
        reason=payload.reason,
    )
    return {"id": product.pk, "status": product.status}


@router.post("products/{product_id}/images", auth=AUTH, response={201: dict})
def add_image(
    request,
    image: File[UploadedFile],
    product_id: int = Path(..., ge=1, le=MAX_ID),
    alt: str = Form("", max_length=200),
):
    """Upload a JPEG, PNG or WebP image (at most 5 MB) as multipart form data."""
    created = services.add_product_image(
        product_id=product_id, by=request.auth, upload=image, alt=alt
    )
    return 201, selectors.image_view(created)
