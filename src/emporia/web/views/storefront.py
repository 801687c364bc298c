"""Storefront pages: home, category, search, product, shop."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from emporia.core.accounts import selectors as accounts
from emporia.core.catalog import selectors as catalog
from emporia.core.inventory import selectors as inventory
from emporia.core.pricing import services as pricing
from emporia.core.pricing.extensions import PriceContext
from emporia.core.reviews import selectors as reviews
from emporia.core.search import selectors as search

from .. import sku_picker
from ..formatting import format_money
from ..forms import AddToCartForm, SearchForm
from . import c2c_credit
from .common import language, page, page_number, visitor_of
from .groups import product_group_context

PAGE_SIZE = 20


def _find_category(tree: list[dict], category_id: int) -> dict | None:
    for node in tree:
        if node["id"] == category_id:
            return node
        found = _find_category(node["children"], category_id)
        if found:
            return found
    return None


@page
def home(request):
    lang = language(request)
    return render(
        request,
        "web/store/home.html",
        {
            "categories": catalog.category_tree(language=lang),
            "shelves": catalog.featured_shelves(
                user=request.user, limit=8, language=lang
            ),
        },
    )


def _results(request, *, category_id=None, shop_id=None):
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    results = search.search(
        query=data.get("q") or "",
        category_id=category_id,
        shop_id=shop_id,
        min_price=data.get("min_price"),
        max_price=data.get("max_price"),
        sort=data.get("sort") or "relevance",
        page=page_number(request),
        page_size=PAGE_SIZE,
        language=language(request),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "form": form,
        "results": results,
        "search_query": data.get("q") or "",
        "has_next": results.page * results.page_size < results.total,
        "querystring": query.urlencode(),
    }


@page
def search_page(request):
    context = _results(request)
    if context["results"].page == 1:
        context["sponsored"] = search.sponsored(
            query=context["search_query"],
            visitor=visitor_of(request),
            language=language(request),
        )
    return render(request, "web/store/search.html", context)


@page
def category(request, category_id: int):
    tree = catalog.category_tree(language=language(request))
    node = _find_category(tree, category_id)
    if node is None:
        raise Http404("No such category")
    context = _results(request, category_id=category_id)
    context.update(category=node, categories=tree, search_query="")
    return render(request, "web/store/category.html", context)


@page
def shop_page(request, shop_id: int):
    shop = accounts.public_shop(shop_id=shop_id)
    context = _results(request, shop_id=shop.pk)
    count, average = reviews.shop_rating(shop.pk)
    lang = language(request)
    context.update(
        shop=shop,
        shop_name=shop.display_name(lang),
        shop_about=shop.about(lang),
        rating_count=count,
        rating=average,
        shop_reviews=reviews.shop_reviews(shop.pk).order_by("-id")[:10],
        search_query="",
    )
    context.update(c2c_credit.shop_credit_context(request, shop))
    return render(request, "web/store/shop.html", context)


def _priced_skus(product: dict, user) -> list[dict]:
    """Each SKU on sale with its price for one unit to this buyer, the reasons
    behind it, and the units available."""
    skus = product["skus"]
    available = inventory.availability([s["id"] for s in skus])
    prices = pricing.resolve(
        [
            PriceContext(
                sku_id=s["id"],
                product_id=product["id"],
                shop_id=product["shop_id"],
                quantity=1,
                list_price=Decimal(s["price"]),
                currency=s["currency"],
                buyer_id=user.pk if user.is_authenticated else None,
            )
            for s in skus
        ]
    )
    return [
        {
            **s,
            "available": available.get(s["id"], 0),
            "unit_price": pricing.line_total(price, 1),
            "list_money": s["money"],
            "reasons": price.reasons,
        }
        for s, price in zip(skus, prices, strict=True)
    ]


def _requested_sku(request, skus: list[dict]) -> dict | None:
    try:
        wanted = int(request.GET.get("sku", ""))
    except ValueError:
        return None
    return next((s for s in skus if s["id"] == wanted), None)


@page
def product(request, product_id: int):
    detail = catalog.product_detail(product_id=product_id, language=language(request))
    skus = _priced_skus(detail, request.user)
    first = _requested_sku(request, skus) or next(
        (s for s in skus if s["available"] > 0), None
    )
    dims = sku_picker.picker(skus, first["id"] if first else None)
    names = [d.name for d in dims or ()]
    for s in skus:
        s["option_label"] = sku_picker.option_label(s, names)
    selected = sku_picker.chosen_sku(skus, dims) or first
    form = AddToCartForm(initial={"sku_id": selected["id"] if selected else None})
    count, average = reviews.product_rating(detail["id"])
    shop_count, shop_average = reviews.shop_rating(detail["shop_id"])
    return render(
        request,
        "web/store/product.html",
        {
            "product": detail,
            "skus": skus,
            "selected_sku": selected,
            "picker": dims,
            "picker_data": {
                "dimensions": names,
                "skus": [
                    {
                        "id": s["id"],
                        "code": s["code"],
                        "attrs": {k: str(v) for k, v in s["attributes"].items()},
                        "available": s["available"],
                        "price": format_money(s["unit_price"]),
                    }
                    for s in skus
                ],
                "text": {"left": _("%(count)s left"), "sold_out": _("sold out")},
            },
            "in_stock": any(s["available"] > 0 for s in skus),
            "form": form,
            "rating_count": count,
            "rating": average,
            "reviews": reviews.product_reviews(detail["id"]).order_by("-id")[:20],
            "shop_rating_count": shop_count,
            "shop_rating": shop_average,
            **c2c_credit.product_credit_context(request, detail),
            **product_group_context(request, detail["id"]),
        },
    )
