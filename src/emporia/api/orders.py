"""HTTP API: orders — the buyer's and the shop's views, and the moves each may make."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from emporia.core.accounts import selectors as accounts
from emporia.core.orders import selectors, services
from emporia.core.orders.states import OrderStatus
from emporia.core.payments import services as payments
from emporia.kernel.errors import Conflict
from emporia.kernel.money import Money

from .auth import AUTH
from .schemas import MoneyOut, decimal_str, money

router = Router(tags=["Orders"], auth=AUTH)


class LineOut(Schema):
    id: int
    sku_id: int
    product_id: int
    product_name: str
    sku_label: str
    quantity: int
    unit_price: str
    line_total: MoneyOut
    price_reasons: list[dict]


class ChangeOut(Schema):
    from_status: str
    to_status: str
    actor_kind: str
    actor: str | None
    reason: str
    at: dt.datetime


class OrderOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    hold_reason: str
    source: str
    shop_id: int
    shop_name: str
    buyer_id: int
    items: MoneyOut
    shipping: MoneyOut
    discount: MoneyOut
    tax: MoneyOut
    total: MoneyOut
    placed_at: dt.datetime
    pay_by: dt.datetime | None
    paid_at: dt.datetime | None
    auto_complete_at: dt.datetime | None


class OrderDetailOut(OrderOut):
    shipping_address: dict
    note: str
    lines: list[LineOut]
    history: list[ChangeOut]


def order_out(o) -> dict:
    c = o.currency
    return {
        "id": o.pk,
        "number": o.number,
        "status": o.status,
        "status_label": OrderStatus(o.status).label,
        "hold_reason": o.hold_reason,
        "source": o.source,
        "shop_id": o.shop_id,
        "shop_name": o.shop.name,
        "buyer_id": o.buyer_id,
        "items": money(o.items_minor, c),
        "shipping": money(o.shipping_minor, c),
        "discount": money(o.discount_minor, c),
        "tax": money(o.tax_minor, c),
        "total": money(o.total_minor, c),
        "placed_at": o.placed_at,
        "pay_by": o.pay_by,
        "paid_at": o.paid_at,
        "auto_complete_at": o.auto_complete_at,
    }


def order_detail_out(o) -> dict:
    return {
        **order_out(o),
        "shipping_address": o.shipping_address,
        "note": o.note,
        "lines": [
            {
                "id": li.pk,
                "sku_id": li.sku_id,
                "product_id": li.product_id,
                "product_name": li.product_name,
                "sku_label": li.sku_label,
                "quantity": li.quantity,
                "unit_price": decimal_str(li.unit_price),
                "line_total": money(li.line_total_minor, o.currency),
                "price_reasons": li.price_reasons,
            }
            for li in o.lines.all()
        ],
        "history": [
            {
                "from_status": h.from_status,
                "to_status": h.to_status,
                "actor_kind": h.actor_kind,
                "actor": str(h.actor) if h.actor else None,
                "reason": h.reason,
                "at": h.at,
            }
            for h in o.history.all()
        ],
    }


class Page(Schema):
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)
    status: OrderStatus | None = None


def paginate(qs, page: Page) -> dict:
    start = (page.page - 1) * page.page_size
    items = list(qs[start : start + page.page_size])
    return {
        "count": qs.count(),
        "page": page.page,
        "items": [order_out(o) for o in items],
    }


class OrderPage(Schema):
    count: int
    page: int
    items: list[OrderOut]


@router.get("/", response=OrderPage)
def my_orders(request, page: Query[Page]):
    """The caller's own orders, newest first."""
    return paginate(
        selectors.orders_for_buyer(user=request.auth, status=page.status), page
    )


@router.get("/{order_id}", response=OrderDetailOut)
def order_detail(request, order_id: int):
    """An order the caller bought or whose shop they work for."""
    return order_detail_out(
        selectors.order_for_party(user=request.auth, order_id=order_id)
    )


class ReasonIn(Schema):
    reason: str = Field("", max_length=255)


@router.post("/{order_id}/cancel", response=OrderDetailOut)
def cancel(request, order_id: int, payload: ReasonIn):
    """Buyer cancels: an unpaid order is cancelled; a paid, unshipped one is
    cancelled and refunded in full."""
    order = selectors.order_for_buyer(user=request.auth, order_id=order_id)
    reason = payload.reason or "Cancelled by the buyer"
    if order.paid_at is None:
        services.cancel_unpaid_order(
            order=order, actor=request.auth, actor_kind="buyer", reason=reason
        )
    else:
        payments.cancel_and_refund(
            order=order, reason=reason, actor=request.auth, actor_kind="buyer"
        )
    return order_detail_out(
        selectors.order_for_buyer(user=request.auth, order_id=order_id)
    )


@router.post("/{order_id}/confirm-receipt", response=OrderDetailOut)
def confirm_receipt(request, order_id: int):
    """Buyer confirms the goods arrived: the order completes and the shop is paid."""
    order = selectors.order_for_buyer(user=request.auth, order_id=order_id)
    services.confirm_receipt(order=order, buyer=request.auth)
    return order_detail_out(
        selectors.order_for_buyer(user=request.auth, order_id=order_id)
    )


@router.get("/shops/{shop_id}/orders", response=OrderPage)
def shop_orders(request, shop_id: int, page: Query[Page]):
    """A shop's orders (its staff only)."""
    shop = accounts.staff_shop(user=request.auth, shop_id=shop_id)
    return paginate(
        selectors.orders_for_shop(shop_id=shop.pk, status=page.status), page
    )


@router.post("/{order_id}/start-fulfilment", response=OrderDetailOut)
def start_fulfilment(request, order_id: int):
    order = selectors.order_for_staff(user=request.auth, order_id=order_id)
    services.start_fulfilment(order=order, actor=request.auth)
    return order_detail_out(
        selectors.order_for_staff(user=request.auth, order_id=order_id)
    )


class RefundIn(Schema):
    amount_minor: int | None = Field(None, gt=0, le=10**15, strict=True)
    reason: str = Field(..., min_length=1, max_length=255)


@router.post("/{order_id}/refunds", response=OrderDetailOut)
def refund(request, order_id: int, payload: RefundIn):
    """Shop staff (or an operator) refund part or all of a paid order.
    Send an Idempotency-Key header so a retried request refunds once."""
    order = selectors.order_for_staff(user=request.auth, order_id=order_id)
    key = request.headers.get("Idempotency-Key") or ""
    if not key:
        raise Conflict(
            _("Send an Idempotency-Key header"), code="idempotency_key_missing"
        )
    amount = None
    if payload.amount_minor is not None:
        amount = Money(payload.amount_minor, order.currency)
    payments.refund_order(
        order=order,
        amount=amount,
        reason=payload.reason,
        key=f"manual:{order.pk}:{key[:80]}",
        actor=request.auth,
        actor_kind="operator" if request.auth.is_operator else "shop",
    )
    return order_detail_out(
        selectors.order_for_staff(user=request.auth, order_id=order_id)
    )
