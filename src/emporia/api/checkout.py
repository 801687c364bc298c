"""HTTP API: cart and checkout."""

from __future__ import annotations

from ninja import Field, Header, Router, Schema

from emporia.core.accounts.clients import client_from_request
from emporia.core.checkout import selectors, services
from emporia.core.checkout.models import Checkout

from .auth import AUTH
from .orders import OrderOut, order_out
from .schemas import AddressIn, MoneyOut, decimal_str, money

router = Router(tags=["Cart and checkout"], auth=AUTH)

MAX_QTY = 9999


class CartLineOut(Schema):
    id: int
    sku_id: int
    sku_code: str
    sku_label: str
    product_id: int
    product_name: str
    shop_id: int
    shop_name: str
    quantity: int
    unit_price: str
    currency: str


class CartOut(Schema):
    lines: list[CartLineOut]


def cart_out(cart, language: str | None, lines=None) -> dict:
    """The cart as the API shows it; ``lines``: its lines when the caller
    has them already (as ``selectors.cart_lines`` reads them)."""
    return {
        "lines": [
            {
                "id": li.pk,
                "sku_id": li.sku_id,
                "sku_code": li.sku.code,
                "sku_label": li.sku.label(),
                "product_id": li.sku.product_id,
                "product_name": li.sku.product.name(language),
                "shop_id": li.sku.product.shop_id,
                "shop_name": li.sku.product.shop.name,
                "quantity": li.quantity,
                "unit_price": decimal_str(li.sku.price),
                "currency": li.sku.currency,
            }
            for li in (selectors.cart_lines(cart) if lines is None else lines)
        ]
    }


class AddIn(Schema):
    sku_id: int = Field(..., gt=0, le=2**62, strict=True)
    quantity: int = Field(1, gt=0, le=MAX_QTY, strict=True)


class QuantityIn(Schema):
    quantity: int = Field(..., ge=0, le=MAX_QTY, strict=True)


@router.get("/cart", response=CartOut)
def get_cart(request):
    return cart_out(
        services.cart_for(user=request.auth, create=False), request.LANGUAGE_CODE
    )


@router.post("/cart/lines", response={201: CartOut})
def add_line(request, payload: AddIn):
    cart = services.cart_for(user=request.auth)
    lines = services.add_to_cart(
        cart=cart, sku_id=payload.sku_id, quantity=payload.quantity
    )
    return 201, cart_out(cart, request.LANGUAGE_CODE, lines)


@router.patch("/cart/lines/{line_id}", response=CartOut)
def set_quantity(request, line_id: int, payload: QuantityIn):
    cart = services.cart_for(user=request.auth)
    services.set_cart_quantity(cart=cart, line_id=line_id, quantity=payload.quantity)
    return cart_out(cart, request.LANGUAGE_CODE)


@router.delete("/cart/lines/{line_id}", response=CartOut)
def remove_line(request, line_id: int):
    cart = services.cart_for(user=request.auth)
    services.remove_from_cart(cart=cart, line_id=line_id)
    return cart_out(cart, request.LANGUAGE_CODE)


class LineIn(Schema):
    sku_id: int = Field(..., gt=0, le=2**62, strict=True)
    quantity: int = Field(..., gt=0, le=MAX_QTY, strict=True)


class CheckoutIn(Schema):
    lines: list[LineIn] | None = Field(
        None, max_length=100, description="Lines to buy; omit to check out the cart"
    )
    address_id: int | None = Field(None, gt=0, le=2**62, strict=True)
    address: AddressIn | None = None
    note: str = Field("", max_length=500)
    use_credit: bool = Field(
        False,
        description="Pay what the platform credit covers (invite rewards) first",
    )


def _options(payload: CheckoutIn) -> dict | None:
    return {"use_credit": True} if payload.use_credit else None


class FundedOut(Schema):
    label: str
    amount: MoneyOut


class QuoteLineOut(Schema):
    sku_id: int
    product_name: str
    quantity: int
    unit_price: str
    line_total: MoneyOut
    price_reasons: list[dict]


class QuoteOrderOut(Schema):
    shop_id: int
    shop_name: str
    ships_from: str
    lines: list[QuoteLineOut]
    items: MoneyOut
    shipping: MoneyOut
    discount: MoneyOut
    tax: MoneyOut
    total: MoneyOut
    hold: str
    funded_discounts: list[FundedOut] = []


class QuoteOut(Schema):
    orders: list[QuoteOrderOut]
    total: MoneyOut


def _lines(request, payload: CheckoutIn):
    """The lines to buy, and the cart they came from (None when the request
    names its own lines)."""
    if payload.lines:
        return payload.lines, None
    lines = selectors.buyer_cart_lines(request.auth)
    return services.wanted_from_cart(lines), (lines[0].cart if lines else None)


@router.post("/quote", response=QuoteOut)
def quote(request, payload: CheckoutIn):
    """Price the cart (or the given lines) for an address, split by shop."""
    lines, _ = _lines(request, payload)
    address = services.resolve_address(
        buyer=request.auth,
        address_id=payload.address_id,
        address=payload.address.dict() if payload.address else None,
    )
    q = services.quote(
        buyer=request.auth, lines=lines, address=address, options=_options(payload)
    )
    c = q.currency
    return {
        "orders": [
            {
                "shop_id": so.draft.shop_id,
                "shop_name": so.shop_name,
                "ships_from": so.location_name,
                "lines": [
                    {
                        "sku_id": dl.sku_id,
                        "product_name": so.skus[dl.sku_id].product.name(
                            request.LANGUAGE_CODE
                        ),
                        "quantity": dl.quantity,
                        "unit_price": decimal_str(dl.unit_price),
                        "line_total": dl.line_total.as_dict(),
                        "price_reasons": so.price_reasons[dl.sku_id],
                    }
                    for dl in so.draft.lines
                ],
                "items": so.draft.items.as_dict(),
                "shipping": so.shipping.as_dict(),
                "discount": so.discount.as_dict(),
                "tax": so.tax.as_dict(),
                "total": so.total.as_dict(),
                "hold": so.placement.hold_before_payment
                or so.placement.hold_on_payment,
                "funded_discounts": [
                    {"label": label, "amount": amount.as_dict()}
                    for _, amount, label in so.funded
                ],
            }
            for so in q.orders
        ],
        "total": money(q.total.minor, c),
    }


class PaymentBrief(Schema):
    id: int
    status: str
    amount: MoneyOut
    redirect_url: str


class CheckoutOut(Schema):
    id: int
    orders: list[OrderOut]
    payment: PaymentBrief | None


def checkout_out(checkout: Checkout, orders=None) -> dict:
    p = checkout.payment
    if orders is None:
        orders = checkout.orders.select_related("shop").order_by("id")
    return {
        "id": checkout.pk,
        "orders": [order_out(o) for o in orders],
        "payment": None
        if p is None
        else {
            "id": p.pk,
            "status": p.status,
            "amount": money(p.amount_minor, p.currency),
            "redirect_url": p.redirect_url,
        },
    }


@router.post("/place", response={201: CheckoutOut, 200: CheckoutOut})
def place(
    request,
    payload: CheckoutIn,
    idempotency_key: str = Header(..., alias="Idempotency-Key", max_length=100),
):
    """Place one order per shop and open a payment. Send an ``Idempotency-Key``:
    a retry with the same key and body returns the same orders (200); the same
    key with another body is refused (409)."""
    lines, cart = _lines(request, payload)
    body = payload.dict()
    placed = services.place_order(
        buyer=request.auth,
        idempotency_key=idempotency_key,
        lines=lines,
        address_id=payload.address_id,
        address=payload.address.dict() if payload.address else None,
        note=payload.note,
        clear_cart=not payload.lines,
        cart=cart,
        body={**body, "lines": [(li.sku_id, li.quantity) for li in lines]},
        client=client_from_request(request),
        options=_options(payload),
    )
    return (200 if placed.replayed else 201), checkout_out(
        placed.checkout, placed.orders
    )
