"""The buyer's orders: list, detail with its timeline, pay, confirm receipt,
review and return."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporia.core.fulfilment import selectors as fulfilment
from emporia.core.fulfilment import services as fulfilment_services
from emporia.core.fulfilment import states as return_states
from emporia.core.orders import selectors as orders
from emporia.core.orders import services as order_services
from emporia.core.orders.states import OrderStatus
from emporia.core.payments import selectors as payments
from emporia.core.reviews import selectors as reviews
from emporia.core.reviews import services as review_services
from emporia.kernel.errors import DomainError

from ..forms import ReturnForm, ReviewForm, ShipBackForm, ShopReviewForm
from .common import form_error, login_page, page_number

STATUS_FILTERS = [s for s in OrderStatus.values]


@login_page
def order_list(request):
    status = request.GET.get("status")
    status = status if status in STATUS_FILTERS else None
    paginator = Paginator(orders.orders_for_buyer(user=request.user, status=status), 20)
    return render(
        request,
        "web/account/orders.html",
        {
            "page_obj": paginator.get_page(page_number(request)),
            "status": status,
            "statuses": OrderStatus.choices,
        },
    )


def _detail_context(request, order, **forms) -> dict:
    reviewed_lines, shop_reviewed = reviews.reviewed_by_buyer(
        buyer=request.user, order_id=order.pk
    )
    reviewable = order.status in (OrderStatus.DELIVERED, OrderStatus.COMPLETED)
    return {
        "order": order,
        "timeline": fulfilment.order_timeline(order),
        "shipments": fulfilment.shipments_for_order(order.pk),
        "returns": [
            r
            for r in fulfilment.returns_for_buyer(user=request.user)
            if r.order_id == order.pk
        ],
        "payment": (
            payments.open_payment_for_order(user=request.user, order_id=order.pk)
            if order.status == OrderStatus.AWAITING_PAYMENT
            else None
        ),
        "can_confirm": order.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED),
        "reviewable": reviewable,
        "reviewed_lines": reviewed_lines,
        "shop_reviewed": shop_reviewed,
        "review_form": forms.get("review_form") or ReviewForm(),
        "shop_review_form": forms.get("shop_review_form") or ShopReviewForm(),
        "return_form": forms.get("return_form")
        or ReturnForm(order_lines=order.lines.all()),
        "returnable": order.status
        in (OrderStatus.DELIVERED, OrderStatus.COMPLETED, OrderStatus.SHIPPED),
    }


@login_page
def order_detail(request, order_id: int):
    order = orders.order_for_buyer(user=request.user, order_id=order_id)
    return render(
        request, "web/account/order_detail.html", _detail_context(request, order)
    )


@require_POST
@login_page
def order_confirm(request, order_id: int):
    order = orders.order_for_buyer(user=request.user, order_id=order_id)
    order_services.confirm_receipt(order=order, buyer=request.user)
    messages.success(request, _("Thanks! The order is complete."))
    return redirect("web:order", order_id=order.pk)


@require_POST
@login_page
def order_review(request, order_id: int):
    order = orders.order_for_buyer(user=request.user, order_id=order_id)
    kind = request.POST.get("kind")
    if kind == "shop":
        form = ShopReviewForm(request.POST, prefix=None)
        if form.is_valid():
            try:
                review_services.review_shop(
                    buyer=request.user,
                    order_id=order.pk,
                    rating=form.cleaned_data["rating"],
                    text=form.cleaned_data["text"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Thanks for rating the shop."))
                return redirect("web:order", order_id=order.pk)
        context = _detail_context(request, order, shop_review_form=form)
    else:
        form = ReviewForm(request.POST)
        try:
            line_id = int(request.POST.get("order_line_id", ""))
        except ValueError:
            line_id = 0
        if form.is_valid():
            try:
                review_services.review_product(
                    buyer=request.user,
                    order_line_id=line_id,
                    rating=form.cleaned_data["rating"],
                    text=form.cleaned_data["text"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Thanks for your review."))
                return redirect("web:order", order_id=order.pk)
        context = _detail_context(request, order, review_form=form)
    return render(request, "web/account/order_detail.html", context, status=422)


@require_POST
@login_page
def order_return(request, order_id: int):
    order = orders.order_for_buyer(user=request.user, order_id=order_id)
    form = ReturnForm(request.POST, order_lines=order.lines.all())
    if form.is_valid():
        try:
            fulfilment_services.request_return(
                order=order,
                buyer=request.user,
                lines=form.lines(),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Your return request was sent to the shop."))
            return redirect("web:order", order_id=order.pk)
    return render(
        request,
        "web/account/order_detail.html",
        _detail_context(request, order, return_form=form),
        status=422,
    )


@login_page
def return_ship_back(request, return_id: int):
    """The buyer posts an approved return back: carrier and tracking number."""
    ret = fulfilment.return_for_buyer(user=request.user, return_id=return_id)
    form = ShipBackForm(request.POST or None)
    can_ship = ret.status == return_states.R.APPROVED
    if request.method == "POST" and form.is_valid():
        try:
            fulfilment_services.ship_return(
                request=ret, by=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Thanks! The shop will refund you on receipt."))
            return redirect("web:order", order_id=ret.order_id)
    return render(
        request,
        "web/account/return_ship.html",
        {
            "ret": ret,
            "lines": list(ret.lines.select_related("order_line")),
            "history": fulfilment.return_history(ret.pk),
            "form": form,
            "can_ship": can_ship,
        },
        status=422 if form.errors else 200,
    )
