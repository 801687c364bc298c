"""Cart and checkout. The cart lives in the session until the buyer logs in;
checkout places the orders with an idempotency key generated into the form."""

from __future__ import annotations

from collections import OrderedDict

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporia.core.accounts import selectors as accounts
from emporia.core.accounts.clients import client_from_request
from emporia.core.checkout import selectors as cart_selectors
from emporia.core.checkout import services as checkout
from emporia.kernel.errors import DomainError
from emporia.kernel.money import Money
from emporia.modes.social.selectors import invites as credit_selectors
from emporia.modes.social.services import credit

from ..forms import AddToCartForm, CheckoutForm, QuantityForm
from .common import current_cart, form_error, language, login_page, page


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _by_shop(lines, lang: str) -> list[dict]:
    """Cart lines grouped by shop with list-price line totals."""
    groups: OrderedDict[int, dict] = OrderedDict()
    for line in lines:
        shop = line.sku.product.shop
        group = groups.setdefault(shop.pk, {"shop": shop, "lines": []})
        group["lines"].append(
            {
                "line": line,
                "name": line.sku.product.name(lang),
                "label": line.sku.label(lang),
                "unit": Money.from_decimal(line.sku.price, line.sku.currency),
                "total": Money.from_decimal(
                    line.sku.price * line.quantity, line.sku.currency
                ),
            }
        )
    return list(groups.values())


@page
def cart(request):
    lines = cart_selectors.cart_lines(current_cart(request, create=False))
    return render(
        request,
        "web/store/cart.html",
        {"groups": _by_shop(lines, language(request)), "has_lines": bool(lines)},
    )


@require_POST
@page
def cart_add(request):
    form = AddToCartForm(request.POST)
    back = _safe_next(request, reverse("web:cart"))
    if not form.is_valid():
        messages.error(request, _("Choose an option and a quantity from 1 to 9999."))
        return redirect(back)
    try:
        checkout.add_to_cart(
            cart=current_cart(request),
            sku_id=form.cleaned_data["sku_id"],
            quantity=form.cleaned_data["quantity"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, _("Added to your cart."))
    return redirect("web:cart")


@require_POST
@page
def cart_line(request, line_id: int):
    form = QuantityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A quantity is a whole number from 0 to 9999."))
        return redirect("web:cart")
    cart = current_cart(request, create=False)
    if cart is None:
        return redirect("web:cart")
    try:
        checkout.set_cart_quantity(
            cart=cart, line_id=line_id, quantity=form.cleaned_data["quantity"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("web:cart")


def _use_credit(request) -> bool:
    """The buyer's "use my credit" choice: the summary's GET form, or the
    checkout form that carries it."""
    source = request.POST if request.method == "POST" else request.GET
    return source.get("use_credit") in ("1", "on", "True", "true")


def _credit_context(request, quote, use_credit: bool) -> dict:
    """The invite credit the buyer may spend, and what this checkout uses."""
    balance = credit_selectors.credit_balance(user=request.user)
    if quote is None or balance.currency != quote.currency:
        return {"credit": None}
    code = credit.credit_code(request.user.pk, balance.currency)
    used = sum(
        (m.minor for so in quote.orders for c, m, _ in so.funded if c == code), 0
    )
    return {
        "credit": balance if balance.minor > 0 else None,
        "credit_used": Money(used, balance.currency),
        "use_credit": use_credit,
    }


def _checkout_context(request, form):
    lines = cart_selectors.cart_lines(current_cart(request, create=False))
    addresses = list(accounts.addresses_for(request.user))
    context = {"form": form, "addresses": addresses, "quote": None, "lines": lines}
    use_credit = _use_credit(request)
    chosen = form["address_id"].value() if form else None
    address = next((a for a in addresses if str(a.pk) == str(chosen)), None) or (
        addresses[0] if addresses else None
    )
    if lines and address is not None:
        try:
            context["quote"] = checkout.quote(
                buyer=request.user,
                lines=checkout.wanted_from_cart(lines),
                address=address.as_snapshot(),
                options={"use_credit": True} if use_credit else None,
            )
        except DomainError as exc:
            context["quote_error"] = exc.message
    context.update(_credit_context(request, context["quote"], use_credit))
    return context


@login_page
def checkout_page(request):
    addresses = list(accounts.addresses_for(request.user))
    if request.method == "POST":
        form = CheckoutForm(request.POST, addresses=addresses)
        if form.is_valid():
            cart = current_cart(request, create=False)
            lines = cart_selectors.cart_lines(cart)
            data = form.cleaned_data
            try:
                placed = checkout.place_order(
                    buyer=request.user,
                    idempotency_key=data["idempotency_key"],
                    lines=checkout.wanted_from_cart(lines),
                    cart=cart,
                    address_id=data["address_id"],
                    note=data["note"],
                    # The key is generated into this page: a second submit of
                    # the same page is the same request whatever the cart holds.
                    body={
                        "page": data["idempotency_key"],
                        "address_id": data["address_id"],
                        "note": data["note"],
                        "use_credit": data["use_credit"],
                    },
                    return_url=reverse("web:orders"),
                    client=client_from_request(request),
                    options={"use_credit": True} if data["use_credit"] else None,
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                payment = placed.checkout.payment
                if payment is not None and payment.status == "pending":
                    return redirect(payment.redirect_url)
                messages.success(request, _("Your order is placed."))
                return redirect("web:orders")
    else:
        form = CheckoutForm(
            addresses=addresses, initial={"use_credit": _use_credit(request)}
        )
    return render(request, "web/store/checkout.html", _checkout_context(request, form))
