"""Seller center: a shop's products, stock, orders, returns, money and sales.

Every page starts from ``accounts.selectors.staff_shop``: a shop the user
does not work for is a 404, and so is any order, product, stock row or return
of another shop reached through this shop's URLs.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporia.core.accounts import selectors as accounts
from emporia.core.accounts import services as account_services
from emporia.core.catalog import selectors as catalog
from emporia.core.catalog import services as catalog_services
from emporia.core.fulfilment import selectors as fulfilment
from emporia.core.fulfilment import services as fulfilment_services
from emporia.core.inventory import selectors as inventory
from emporia.core.inventory import services as inventory_services
from emporia.core.ledger import selectors as ledger
from emporia.core.orders import selectors as orders
from emporia.core.orders.states import OrderStatus
from emporia.core.payments import payouts
from emporia.core.reviews import selectors as reviews
from emporia.kernel.errors import DomainError, NotFound
from emporia.kernel.money import Money

from .. import reasons
from .. import seller_forms as f
from ..formatting import format_money
from .common import form_error, language, login_page, page_number


def _shop(request, shop_id: int):
    return accounts.staff_shop(user=request.user, shop_id=shop_id)


def _render(request, template: str, shop, context: dict, status: int = 200):
    return render(
        request,
        f"web/seller/{template}",
        {"shop": shop, "section": template.split(".")[0], **context},
        status=status,
    )


def _flatten(tree: list[dict], depth: int = 0) -> list[tuple[int, str]]:
    out = []
    for node in tree:
        out.append((node["id"], "— " * depth + node["name"]))
        out.extend(_flatten(node["children"], depth + 1))
    return out


@login_page
def seller_home(request):
    shops = list(accounts.shops_for(request.user))
    if len(shops) == 1:
        return redirect("web:seller_dashboard", shop_id=shops[0].pk)
    if not shops:
        return redirect("web:seller_open")
    return render(request, "web/seller/choose.html", {"shops": shops})


@login_page
def open_shop(request):
    form = f.ShopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shop = account_services.open_shop(owner=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Your shop is open."))
            return redirect("web:seller_dashboard", shop_id=shop.pk)
    return render(request, "web/seller/open.html", {"form": form})


@login_page
def dashboard(request, shop_id: int):
    shop = _shop(request, shop_id)
    days = orders.shop_sales_by_day(shop_id=shop.pk, currency=shop.currency, days=30)
    top = orders.shop_top_products(shop_id=shop.pk, days=30, limit=5)
    money = ledger.shop_money(shop.pk, shop.currency)
    return _render(
        request,
        "dashboard.html",
        shop,
        {
            "money": money,
            "orders_30d": sum(d.orders for d in days),
            "revenue_30d": Money(sum(d.revenue_minor for d in days), shop.currency),
            "to_ship": orders.orders_for_shop(
                shop_id=shop.pk, status=OrderStatus.PAID
            ).count(),
            "chart": {
                "labels": [d.day.isoformat() for d in days],
                "orders": [d.orders for d in days],
                "revenue": [
                    str(Money(d.revenue_minor, shop.currency).amount) for d in days
                ],
                "top_labels": [t["name"] for t in top],
                "top_units": [t["units"] for t in top],
            },
            "top": [
                {**t, "revenue": Money(t["revenue_minor"], shop.currency)} for t in top
            ],
        },
    )


def _profile_initial(shop) -> dict:
    return {
        "name": shop.name,
        "name_en": shop.name_en,
        "description": shop.description,
        "description_en": shop.description_en,
    }


@login_page
def profile(request, shop_id: int):
    shop = _shop(request, shop_id)
    try:
        accounts.staff_shop(user=request.user, shop_id=shop.pk, owner_only=True)
        can_edit = True
    except NotFound:
        can_edit = False
    form = None
    if can_edit:
        form = f.ShopProfileForm(
            request.POST or None,
            request.FILES or None,
            initial=_profile_initial(shop),
        )
        if request.method == "POST" and form.is_valid():
            try:
                account_services.update_shop(
                    shop_id=shop.pk, by=request.user, **form.changes()
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Shop profile saved."))
                return redirect(request.path)
    elif request.method == "POST":
        raise NotFound("No such shop")
    count, average = reviews.shop_rating(shop.pk)
    return _render(
        request,
        "profile.html",
        shop,
        {
            "rating_count": count,
            "rating": average,
            "locations": inventory.locations_for(shop.pk),
            "form": form,
            "changes": accounts.shop_profile_changes(shop_id=shop.pk)[:10],
        },
        status=422 if form is not None and form.errors else 200,
    )


# --- products -------------------------------------------------------------------


@login_page
def products(request, shop_id: int):
    shop = _shop(request, shop_id)
    status = request.GET.get("status") or None
    result = catalog.shop_products(
        user=request.user,
        shop_id=shop.pk,
        status=status if status in ("draft", "listed", "delisted", "banned") else None,
        page=page_number(request),
        page_size=50,
        language=language(request),
    )
    return _render(request, "products.html", shop, {"result": result})


def _categories(request):
    return _flatten(catalog.category_tree(language=language(request)))


@login_page
def product_new(request, shop_id: int):
    shop = _shop(request, shop_id)
    form = f.NewProductForm(request.POST or None, categories=_categories(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            product = catalog_services.create_product(
                shop_id=shop.pk,
                by=request.user,
                names=form.names(),
                descriptions=form.descriptions(),
                category_id=data["category_id"],
                brand=data["brand"],
                skus=[form.sku()],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Product saved as a draft."))
            return redirect(
                "web:seller_product", shop_id=shop.pk, product_id=product.pk
            )
    return _render(request, "product_new.html", shop, {"form": form})


def _product(request, shop, product_id: int) -> dict:
    detail = catalog.staff_product_detail(
        user=request.user, product_id=product_id, language=language(request)
    )
    if detail["shop_id"] != shop.pk:
        raise NotFound("No such product")
    return detail


def _product_forms(request, shop, detail, **bound) -> dict:
    names = detail["names"]
    initial = {
        "name_zh": names.get("zh-hans", ""),
        "name_en": names.get("en", ""),
        "description_zh": detail["descriptions"].get("zh-hans", ""),
        "description_en": detail["descriptions"].get("en", ""),
        "category_id": detail["category_id"],
        "brand": detail["brand"],
    }
    locations = list(inventory.locations_for(shop.pk))
    stock = {}
    for item in inventory.stock_for_shop(shop.pk):
        stock.setdefault(item.sku_id, []).append(item)
    return {
        "product": detail,
        "product_form": bound.get("product_form")
        or f.ProductForm(initial=initial, categories=_categories(request)),
        "sku_form": bound.get("sku_form")
        or f.SkuForm(initial={"currency": shop.currency}),
        "status_form": f.StatusForm(initial={"status": detail["status"]}),
        "image_form": bound.get("image_form") or f.ImageForm(),
        "locations": locations,
        "stock": stock,
        "error_sku": bound.get("error_sku"),
    }


@login_page
def product_edit(request, shop_id: int, product_id: int):
    shop = _shop(request, shop_id)
    detail = _product(request, shop, product_id)
    if request.method != "POST":
        return _render(
            request, "product_edit.html", shop, _product_forms(request, shop, detail)
        )
    action = request.POST.get("action")
    bound: dict = {}
    try:
        if action == "details":
            form = bound["product_form"] = f.ProductForm(
                request.POST, categories=_categories(request)
            )
            if form.is_valid():
                catalog_services.update_product(
                    product_id=detail["id"],
                    by=request.user,
                    names=form.names(),
                    descriptions=form.descriptions(),
                    category_id=form.cleaned_data["category_id"],
                    brand=form.cleaned_data["brand"],
                )
                messages.success(request, _("Product saved."))
                return redirect(request.path)
        elif action == "add_sku":
            form = bound["sku_form"] = f.SkuForm(request.POST)
            if form.is_valid():
                catalog_services.add_sku(
                    product_id=detail["id"], by=request.user, **form.cleaned_data
                )
                messages.success(request, _("SKU added."))
                return redirect(request.path)
        elif action == "update_sku":
            form = f.SkuUpdateForm(request.POST)
            if form.is_valid():
                catalog_services.update_sku(by=request.user, **form.cleaned_data)
                messages.success(request, _("SKU saved."))
                return redirect(request.path)
            messages.error(request, _("A price is a number of at least 0."))
            return redirect(request.path)
        elif action == "status":
            form = f.StatusForm(request.POST)
            if form.is_valid():
                catalog_services.set_product_status(
                    product_id=detail["id"],
                    by=request.user,
                    status=form.cleaned_data["status"],
                )
                messages.success(request, _("Listing status changed."))
                return redirect(request.path)
        elif action == "image":
            form = bound["image_form"] = f.ImageForm(request.POST, request.FILES)
            if form.is_valid():
                catalog_services.add_product_image(
                    product_id=detail["id"],
                    by=request.user,
                    upload=form.cleaned_data["image"],
                    alt=form.cleaned_data["alt"],
                )
                messages.success(request, _("Picture added."))
                return redirect(request.path)
        elif action == "stock":
            form = f.StockSetUpForm(
                request.POST, locations=inventory.locations_for(shop.pk)
            )
            if form.is_valid():
                inventory_services.set_up_stock(
                    shop=shop,
                    actor=request.user,
                    reason=reasons.STOCK_FROM_SELLER_CENTER.text(),
                    **form.cleaned_data,
                )
                messages.success(request, _("Stock recorded."))
                return redirect(request.path)
            messages.error(request, _("Choose a location and a number of units."))
            return redirect(request.path)
        else:
            return render(request, "400.html", status=400)
    except DomainError as exc:
        if action in ("update_sku", "status", "stock"):
            messages.error(request, exc.message)
            return redirect(request.path)
        form_error(form, exc)
    return _render(
        request,
        "product_edit.html",
        shop,
        _product_forms(request, shop, _product(request, shop, product_id), **bound),
        status=422,
    )


# --- stock ------------------------------------------------------------------------


@login_page
def stock(request, shop_id: int):
    shop = _shop(request, shop_id)
    location_form = f.LocationForm(
        request.POST if request.POST.get("action") == "location" else None
    )
    if request.method == "POST" and location_form.is_valid():
        try:
            inventory_services.create_location(
                shop=shop, actor=request.user, **location_form.cleaned_data
            )
        except DomainError as exc:
            form_error(location_form, exc)
        else:
            messages.success(request, _("Location added."))
            return redirect(request.path)
    return _render(
        request,
        "stock.html",
        shop,
        {
            "items": inventory.stock_for_shop(shop.pk),
            "locations": inventory.locations_for(shop.pk),
            "location_form": location_form,
            "adjust_form": f.AdjustForm(),
        },
        status=422 if location_form.errors else 200,
    )


@login_page
def stock_item(request, shop_id: int, item_id: int):
    shop = _shop(request, shop_id)
    item = inventory.stock_item_for(shop_id=shop.pk, stock_item_id=item_id)
    form = f.AdjustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inventory_services.adjust_stock(
                stock_item=item,
                delta=form.cleaned_data["delta"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Stock adjusted."))
            return redirect(request.path)
    rows, count = inventory.movements(item.pk, limit=100)
    return _render(
        request,
        "stock_item.html",
        shop,
        {
            "item": inventory.stock_item_for(shop_id=shop.pk, stock_item_id=item.pk),
            "movements": rows,
            "count": count,
            "form": form,
        },
        status=422 if form.errors else 200,
    )


# --- orders and returns -------------------------------------------------------------


@login_page
def shop_orders(request, shop_id: int):
    shop = _shop(request, shop_id)
    status = request.GET.get("status")
    status = status if status in OrderStatus.values else None
    paginator = Paginator(orders.orders_for_shop(shop_id=shop.pk, status=status), 30)
    return _render(
        request,
        "orders.html",
        shop,
        {
            "page_obj": paginator.get_page(page_number(request)),
            "status": status,
            "statuses": OrderStatus.choices,
        },
    )


def _shop_order(request, shop, order_id: int):
    order = orders.order_for_staff(user=request.user, order_id=order_id)
    if order.shop_id != shop.pk:
        raise NotFound("No such order")
    return order


@login_page
def shop_order(request, shop_id: int, order_id: int):
    shop = _shop(request, shop_id)
    order = _shop_order(request, shop, order_id)
    form = f.ShipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fulfilment_services.ship_order(
                order=order, by=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Marked as shipped."))
            return redirect(request.path)
    return _render(
        request,
        "order.html",
        shop,
        {
            "order": order,
            "timeline": fulfilment.order_timeline(order),
            "shipments": fulfilment.shipments_for_order(order.pk),
            "form": form,
            "can_ship": order.status in (OrderStatus.PAID, OrderStatus.FULFILLING),
        },
        status=422 if form.errors else 200,
    )


@login_page
def shipment_tracking(request, shop_id: int, shipment_id: int):
    """Record carrier scans for one of the shop's shipments; the buyer sees
    them on the order's timeline."""
    shop = _shop(request, shop_id)
    shipment = fulfilment.shipment_for_staff(user=request.user, shipment_id=shipment_id)
    if shipment.order.shop_id != shop.pk:
        raise NotFound("No such shipment")
    form = f.TrackingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fulfilment_services.record_tracking(shipment=shipment, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Scan recorded."))
            return redirect(request.path)
    shipment = fulfilment.shipments_for_order(shipment.order_id).get(pk=shipment.pk)
    return _render(
        request,
        "shipment.html",
        shop,
        {
            "shipment": shipment,
            "order": shipment.order,
            "form": form,
            "delivered": shipment.status == "delivered",
        },
        status=422 if form.errors else 200,
    )


@login_page
def returns(request, shop_id: int):
    shop = _shop(request, shop_id)
    return _render(
        request,
        "returns.html",
        shop,
        {
            "returns": fulfilment.returns_for_shop(shop_id=shop.pk)[:200],
            "reject_form": f.RejectForm(),
        },
    )


@require_POST
@login_page
def return_decide(request, shop_id: int, return_id: int):
    shop = _shop(request, shop_id)
    ret = fulfilment.return_for_staff(user=request.user, return_id=return_id)
    if ret.order.shop_id != shop.pk:
        raise Http404("No such return")
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            fulfilment_services.approve_return(request=ret, by=request.user)
        elif decision == "receive":
            fulfilment_services.receive_return(request=ret, by=request.user)
        elif decision == "reject":
            form = f.RejectForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Tell the buyer why the return is rejected."))
                return redirect("web:seller_returns", shop_id=shop.pk)
            fulfilment_services.reject_return(
                request=ret, by=request.user, reason=form.cleaned_data["reason"]
            )
        else:
            return render(request, "400.html", status=400)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Return updated."))
    return redirect("web:seller_returns", shop_id=shop.pk)


# --- money ---------------------------------------------------------------------------


@login_page
def money(request, shop_id: int):
    shop = _shop(request, shop_id)
    form = f.PayoutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payout = payouts.request_payout(
                shop=shop,
                by=request.user,
                amount=Money.from_decimal(data["amount"], shop.currency),
                bank_account=data["bank_account"],
                key=data["key"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("Payout of %(amount)s requested.")
                % {"amount": format_money(Money(payout.amount_minor, shop.currency))},
            )
            return redirect(request.path)
    offset = (page_number(request) - 1) * 50
    lines = ledger.shop_lines(shop.pk, currency=shop.currency, limit=50, offset=offset)
    return _render(
        request,
        "money.html",
        shop,
        {
            "money": ledger.shop_money(shop.pk, shop.currency),
            "lines": lines,
            "has_next": offset + 50 < lines.count,
            "page": page_number(request),
            "payouts": payouts.payouts_for(shop.pk)[:20],
            "form": form,
        },
        status=422 if form.errors else 200,
    )
