"""Cart and checkout writes.

``place_order`` is the hot path. It costs a constant number of queries
whatever the number of lines: SKUs, stock and the idempotency record are
read in one query each; orders, lines, history rows and reservations are
written in bulk; stock for every line is reserved by one conditional UPDATE
(see ``inventory.services.reserve``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from emporia.core.accounts import selectors as accounts_selectors
from emporia.core.accounts import services as accounts
from emporia.core.accounts.clients import UNKNOWN, ClientInfo
from emporia.core.catalog.models import Product, Sku
from emporia.core.inventory import selectors as inventory_selectors
from emporia.core.inventory import services as inventory
from emporia.core.orders import services as orders
from emporia.core.orders.models import Order, OrderLine
from emporia.core.payments import services as payments
from emporia.core.pricing import services as pricing
from emporia.core.pricing.extensions import PriceContext
from emporia.infra.sql import (
    CompiledQuery,
    delete_where,
    insert_objects,
    insert_or_nothing,
    update_where,
)
from emporia.kernel import clock
from emporia.kernel.errors import Conflict, NotFound, OutOfStock, ValidationFailed
from emporia.kernel.money import Money, total

from . import selectors
from .extensions import (
    DraftLine,
    OrderDraft,
    Placement,
    order_adjusters,
    placement_policies,
)
from .models import Cart, CartLine, Checkout

# The hot reads of adding to the cart and placing an order, compiled once
# (emporia.infra.sql.CompiledQuery; ADR 9).
_CART_OF_USER = CompiledQuery(
    lambda user_id: Cart.objects.filter(user_id=user_id).order_by("pk")[:1],
    user_id=int,
)
_SKUS_FOR_SALE = CompiledQuery(
    lambda ids: Sku.objects.select_related("product__shop").filter(pk__in=ids),
    ids=list,
)
# adding to the cart: the SKU with its units to sell (the cart's lines, with
# the one to merge into, are read by selectors.cart_lines)
_SKU_WITH_STOCK = CompiledQuery(
    lambda sku_id: (
        Sku.objects.select_related("product__shop")
        .filter(pk=sku_id)
        .annotate(available=inventory_selectors.available_units())
    ),
    sku_id=int,
)
_CHECKOUT_BY_KEY = CompiledQuery(
    lambda buyer_id, key: Checkout.objects.filter(
        buyer_id=buyer_id, idempotency_key=key
    ).order_by("pk")[:1],
    buyer_id=int,
    key=str,
)

# --- cart ----------------------------------------------------------------------


def _limits() -> tuple[int, int]:
    return settings.EMPORIA["MAX_LINE_QUANTITY"], settings.EMPORIA["CART_MAX_LINES"]


def cart_for(
    *, user=None, session_key: str | None = None, create: bool = True
) -> Cart | None:
    """The buyer's cart, or the anonymous session's."""
    if user is not None and user.is_authenticated:
        cart = _CART_OF_USER.first(user_id=user.pk)
        if cart is None and create:
            cart, _created = Cart.objects.get_or_create(user=user)
        return cart
    if not session_key:
        return None
    cart = Cart.objects.filter(session_key=session_key, user__isnull=True).first()
    if cart is None and create:
        cart, _created = Cart.objects.get_or_create(session_key=session_key)
    return cart


def _check_sellable(sku: Sku) -> None:
    product = sku.product
    if (
        not sku.is_active
        or product.status != Product.Status.LISTED
        or not product.shop.is_open
    ):
        raise Conflict(
            _("%(product)s (%(sku)s) is not for sale")
            % {"product": product.name(), "sku": sku.code},
            code="not_for_sale",
        )


def _check_quantity(quantity: int) -> None:
    max_qty, _lines = _limits()
    if not isinstance(quantity, int) or quantity < 1 or quantity > max_qty:
        raise ValidationFailed(
            _("Quantity must be a whole number from 1 to %(max)s") % {"max": max_qty},
            field="quantity",
        )


# A cart's updated_at says when it last changed, to the minute: adding to a
# cart changed less than a minute ago does not write the cart's row again.
CART_TOUCH_EVERY = dt.timedelta(minutes=1)


def add_to_cart(*, cart: Cart, sku_id: int, quantity: int) -> list[CartLine]:
    """Add units of a SKU (merging with a line already there); returns the
    cart's lines after the change, as ``selectors.cart_lines`` reads them
    (SKU, product and shop with each, in the order they were added).

    The SKU and its stock are read before the write transaction (stock in a
    cart is advisory: it is reserved at checkout), so on SQLite the write
    lock covers only the cart's own rows.
    """
    _check_quantity(quantity)
    sku = _SKU_WITH_STOCK.first(sku_id=sku_id) if type(sku_id) is int else None
    if sku is None:
        raise NotFound(_("There is no SKU %(sku)s") % {"sku": sku_id})
    _check_sellable(sku)
    max_qty, max_lines = _limits()
    available = sku.available
    with transaction.atomic():
        lines = selectors.cart_lines(cart)
        line = next((li for li in lines if li.sku_id == sku.pk), None)
        new_qty = quantity + (line.quantity if line else 0)
        if new_qty > max_qty:
            raise ValidationFailed(
                _("At most %(max)s of one item per order") % {"max": max_qty},
                field="quantity",
            )
        if new_qty > available:
            raise OutOfStock(
                _("Only %(n)s left of %(product)s")
                % {"n": available, "product": sku.product.name()},
                available=available,
            )
        now = clock.now()
        if line is None:
            if len(lines) >= max_lines:
                raise ValidationFailed(
                    _("A cart holds at most %(max)s different items")
                    % {"max": max_lines}
                )
            line = CartLine(cart=cart, sku=sku, quantity=new_qty, added_at=now)
            lines.append(insert_objects([line])[0])
        else:
            update_where(CartLine, {"quantity": new_qty}, pk=line.pk)
            line.quantity = new_qty
        if now - cart.updated_at >= CART_TOUCH_EVERY:
            update_where(Cart, {"updated_at": now}, pk=cart.pk)
            cart.updated_at = now
    return lines


@transaction.atomic
def set_cart_quantity(*, cart: Cart, line_id: int, quantity: int) -> CartLine | None:
    """Change a line's quantity; 0 removes it."""
    line = (
        CartLine.objects.filter(cart=cart, pk=line_id)
        .select_related("sku__product")
        .first()
    )
    if line is None:
        raise NotFound(_("That item is not in your cart"))
    if quantity == 0:
        line.delete()
        return None
    _check_quantity(quantity)
    available = inventory_selectors.availability([line.sku_id]).get(line.sku_id, 0)
    if quantity > available:
        raise OutOfStock(
            _("Only %(n)s left of %(product)s")
            % {"n": available, "product": line.sku.product.name()},
            available=available,
        )
    CartLine.objects.filter(pk=line.pk).update(quantity=quantity)
    line.quantity = quantity
    return line


@transaction.atomic
def remove_from_cart(*, cart: Cart, line_id: int) -> None:
    deleted, _by_model = CartLine.objects.filter(cart=cart, pk=line_id).delete()
    if not deleted:
        raise NotFound(_("That item is not in your cart"))


@transaction.atomic
def merge_carts(*, user, session_key: str) -> Cart | None:
    """On login, move the anonymous session's cart into the buyer's cart."""
    anon = Cart.objects.filter(session_key=session_key, user__isnull=True).first()
    if anon is None:
        return cart_for(user=user, create=False)
    mine = cart_for(user=user)
    max_qty, _lines = _limits()
    existing = {line.sku_id: line for line in mine.lines.all()}
    for line in anon.lines.all():
        if line.sku_id in existing:
            merged = min(existing[line.sku_id].quantity + line.quantity, max_qty)
            CartLine.objects.filter(pk=existing[line.sku_id].pk).update(quantity=merged)
        else:
            CartLine.objects.create(
                cart=mine, sku_id=line.sku_id, quantity=line.quantity
            )
    anon.delete()
    return mine


# --- quote and place ---------------------------------------------------------------


@dataclass(frozen=True)
class WantedLine:
    """``quantity`` of SKU ``sku_id``. ``sku``: the SKU, with its product and
    shop, when the caller has just read it in this request (a cart's lines
    come with theirs): the quote then prices with it instead of reading the
    SKUs again."""

    sku_id: int
    quantity: int
    sku: Sku | None = field(default=None, compare=False, repr=False)


def wanted_from_cart(lines: list[CartLine]) -> list[WantedLine]:
    """The wanted lines of a cart's lines as ``selectors.cart_lines`` read
    them (each with its SKU, product and shop)."""
    return [WantedLine(li.sku_id, li.quantity, li.sku) for li in lines]


@dataclass
class ShopOrderQuote:
    draft: OrderDraft
    location_name: str
    shop_name: str
    skus: dict
    stock_items: dict
    price_reasons: dict
    adjustments: list
    placement: Placement

    def amount(self, kind: str) -> Money:
        return total(
            (a.amount for a in self.adjustments if a.kind == kind), self.draft.currency
        )

    @property
    def shipping(self) -> Money:
        return self.amount("shipping")

    @property
    def discount(self) -> Money:
        return min(self.amount("discount"), self.draft.items + self.shipping)

    @property
    def tax(self) -> Money:
        return self.amount("tax")

    @property
    def total(self) -> Money:
        return self.draft.items + self.shipping + self.tax - self.discount

    @property
    def funded(self) -> list[tuple[str, Money, str]]:
        """(account, amount, label) for each funded discount, within the
        order's (capped) discount: funded discounts are counted first."""
        left = self.discount
        out = []
        for a in self.adjustments:
            if a.kind != "discount" or not a.funded_by or left.minor <= 0:
                continue
            take = min(a.amount, left)
            left = left - take
            if take.minor > 0:
                out.append((a.funded_by, take, a.label))
        return out


@dataclass
class Quote:
    currency: str
    orders: list[ShopOrderQuote]

    @property
    def total(self) -> Money:
        return total((o.total for o in self.orders), self.currency)


def _wanted_lines(lines) -> list[WantedLine]:
    max_qty, max_lines = _limits()
    merged: dict[int, int] = defaultdict(int)
    read: dict[int, Sku] = {}
    for line in lines:
        _check_quantity(line.quantity)
        merged[line.sku_id] += line.quantity
        if isinstance(line, WantedLine) and line.sku is not None:
            read[line.sku_id] = line.sku
    if not merged:
        raise ValidationFailed(_("There is nothing to order"))
    if len(merged) > max_lines:
        raise ValidationFailed(
            _("At most %(max)s different items in one checkout") % {"max": max_lines}
        )
    if any(qty > max_qty for qty in merged.values()):
        raise ValidationFailed(
            _("At most %(max)s of one item per order") % {"max": max_qty}
        )
    return [WantedLine(sku_id, qty, read.get(sku_id)) for sku_id, qty in merged.items()]


def quote(
    *,
    buyer,
    lines,
    address: dict,
    source: str = "storefront",
    source_ref: str = "",
    options: dict | None = None,
) -> Quote:
    """Price a set of lines for a buyer and split them into shop orders.

    ``options`` are the buyer's checkout choices, handed to the order
    adjusters as ``OrderDraft.options`` (see ``extensions``). Raises NotFound
    (unknown SKU), Conflict (not for sale), OutOfStock, ValidationFailed
    (quantities, mixed currencies). Reads only.
    """
    wanted = _wanted_lines(lines)
    if all(w.sku is not None for w in wanted):
        skus = {w.sku_id: w.sku for w in wanted}  # read by the caller just now
    else:
        skus = {s.pk: s for s in _SKUS_FOR_SALE.all(ids=[w.sku_id for w in wanted])}
    for w in wanted:
        if w.sku_id not in skus:
            raise NotFound(_("There is no SKU %(sku)s") % {"sku": w.sku_id})
        _check_sellable(skus[w.sku_id])
    currencies = {s.currency for s in skus.values()}
    if len(currencies) > 1:
        raise ValidationFailed(
            _("Items priced in different currencies are checked out separately")
        )
    currency = currencies.pop()
    stock = inventory_selectors.stock_for_skus(skus)
    picked = {}
    for w in wanted:
        candidates = stock.get(w.sku_id, [])
        item = next(
            (s for s in candidates if s.on_hand - s.reserved >= w.quantity), None
        )
        if item is None:
            best = max((s.on_hand - s.reserved for s in candidates), default=0)
            name = skus[w.sku_id].product.name()
            raise OutOfStock(
                _("Only %(n)s left of %(product)s (%(sku)s)")
                % {"n": max(best, 0), "product": name, "sku": skus[w.sku_id].code},
                sku_id=w.sku_id,
                available=max(best, 0),
            )
        picked[w.sku_id] = item
    contexts = [
        PriceContext(
            sku_id=w.sku_id,
            product_id=skus[w.sku_id].product_id,
            shop_id=skus[w.sku_id].product.shop_id,
            quantity=w.quantity,
            list_price=skus[w.sku_id].price,
            currency=currency,
            buyer_id=getattr(buyer, "pk", None),
            source=source,
            source_ref=source_ref,
        )
        for w in wanted
    ]
    prices = dict(
        zip([w.sku_id for w in wanted], pricing.resolve(contexts), strict=True)
    )
    groups: dict[tuple[int, int], list[WantedLine]] = defaultdict(list)
    for w in wanted:
        groups[(skus[w.sku_id].product.shop_id, picked[w.sku_id].location_id)].append(w)
    drafts = []
    for (shop_id, location_id), group in groups.items():
        draft_lines = tuple(
            DraftLine(
                sku_id=w.sku_id,
                product_id=skus[w.sku_id].product_id,
                quantity=w.quantity,
                unit_price=prices[w.sku_id].unit_price,
                line_total=pricing.line_total(prices[w.sku_id], w.quantity),
            )
            for w in group
        )
        draft = OrderDraft(
            buyer_id=getattr(buyer, "pk", 0),
            shop_id=shop_id,
            location_id=location_id,
            source=source,
            source_ref=source_ref,
            currency=currency,
            lines=draft_lines,
            items=total((dl.line_total for dl in draft_lines), currency),
            address=address,
            options=dict(options or {}),
        )
        drafts.append((draft, group))
    # Adjuster by adjuster over every shop order, so each sees the whole
    # checkout as the earlier adjusters left it (``OrderDraft.checkout``).
    adjusted: list[list] = [[] for _ in drafts]
    for adjuster in order_adjusters:
        seen = tuple(
            replace(draft, adjustments=tuple(adj))
            for (draft, _), adj in zip(drafts, adjusted, strict=True)
        )
        for i, draft in enumerate(seen):
            adjusted[i] += adjuster.adjust(replace(draft, checkout=seen))
    quotes = []
    for (draft, group), adjustments in zip(drafts, adjusted, strict=True):
        placement = next(
            (p for p in (pol.decide(draft) for pol in placement_policies) if p),
            Placement(),
        )
        quotes.append(
            ShopOrderQuote(
                draft=draft,
                location_name=picked[group[0].sku_id].location.name,
                shop_name=skus[group[0].sku_id].product.shop.name,
                skus={w.sku_id: skus[w.sku_id] for w in group},
                stock_items={w.sku_id: picked[w.sku_id] for w in group},
                price_reasons={
                    w.sku_id: [r.as_dict() for r in prices[w.sku_id].reasons]
                    for w in group
                },
                adjustments=adjustments,
                placement=placement,
            )
        )
    return Quote(currency=currency, orders=quotes)


@dataclass(frozen=True)
class Placed:
    """What ``place_order`` did: the checkout, and whether this request was a
    replay of an earlier one with the same Idempotency-Key."""

    checkout: Checkout
    replayed: bool = False
    orders: list[Order] | None = None


def body_hash(body: dict) -> str:
    return hashlib.sha256(
        json.dumps(body, sort_keys=True, default=str).encode()
    ).hexdigest()


def resolve_address(*, buyer, address_id: int | None, address: dict | None) -> dict:
    if address_id is not None:
        return accounts_selectors.address_for(
            user=buyer, address_id=address_id
        ).as_snapshot()
    if address:
        return accounts.validate_address(address)
    raise ValidationFailed(_("Choose a shipping address"), field="address_id")


def place_order(
    *,
    buyer,
    idempotency_key: str,
    lines,
    address_id: int | None = None,
    address: dict | None = None,
    note: str = "",
    source: str = "storefront",
    source_ref: str = "",
    clear_cart: bool = True,
    body: dict | None = None,
    return_url: str = "/account/orders/",
    client: ClientInfo = UNKNOWN,
    options: dict | None = None,
    cart: Cart | None = None,
) -> Placed:
    """Place one order per shop (and shipping location), reserve their stock
    and open one payment for them.

    Idempotent per (buyer, ``idempotency_key``): the same key and body return
    the first Checkout; the same key with a different body raises Conflict and
    changes nothing. All or nothing: any refusal leaves no order, no
    reservation and no payment behind. ``client`` (IP, device id) is kept on
    the Checkout for trust and safety. ``options`` are the buyer's checkout
    choices for the order adjusters (``quote``). With ``clear_cart`` the
    ordered SKUs leave the buyer's cart: pass ``cart`` when the caller has
    read it already (the lines came from it), to save reading it again. A
    funded discount from the
    buyer's own balance that the balance no longer covers when the order is
    placed refuses the whole checkout (Conflict ``insufficient_balance``).

    The reads (idempotency fast path, address, quote) run before the write
    transaction, so that on SQLite the database's one write lock is held only
    for the writes; what the reads decided is enforced again inside it (the
    key by ``ON CONFLICT``, stock by the conditional reservation, funded
    discounts by the balance check).
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise ValidationFailed(
            _("Send an Idempotency-Key header of 1 to 100 characters")
        )
    digest = body_hash(
        body
        if body is not None
        else {
            "lines": sorted((li.sku_id, li.quantity) for li in lines),
            "address_id": address_id,
            "address": address,
            "note": note,
            "source": source,
            "source_ref": source_ref,
            **({"options": options} if options else {}),
        }
    )
    existing = _CHECKOUT_BY_KEY.first(buyer_id=buyer.pk, key=key)
    if existing is not None:
        return _replay(existing, digest)
    snapshot = resolve_address(buyer=buyer, address_id=address_id, address=address)
    q = quote(
        buyer=buyer,
        lines=lines,
        address=snapshot,
        source=source,
        source_ref=source_ref,
        options=options,
    )
    if not clear_cart:
        cart = None
    elif cart is None:
        cart = _CART_OF_USER.first(user_id=buyer.pk)
    elif cart.user_id != buyer.pk:
        raise ValueError("place_order(cart=…) must be the buyer's own cart")
    numbers = [orders.new_order_number() for _ in q.orders]
    # The orders that will await payment (not held before it) are paid with
    # one charge, opened at the provider before the write transaction: a
    # third party is never waited on with the stock's rows locked.
    to_pay = [
        (so, number)
        for so, number in zip(q.orders, numbers, strict=True)
        if not so.placement.hold_before_payment
    ]
    opened = (
        payments.open_charge(
            amount=Money(sum(so.total.minor for so, _ in to_pay), q.currency),
            description=", ".join(number for _, number in to_pay),
            return_url=return_url,
        )
        if to_pay
        else None
    )
    with transaction.atomic():
        checkout = _claim_key(buyer=buyer, key=key, digest=digest, client=client)
        if checkout is None:  # a concurrent request with this key won
            return _replay(
                Checkout.objects.get(buyer=buyer, idempotency_key=key), digest
            )
        now = clock.now()
        pay_by = orders.payment_deadline()
        shop_rates = {
            so.draft.shop_id: next(iter(so.skus.values())).product.shop.commission_rate
            for so in q.orders
        }
        new_orders = insert_objects(
            [
                Order(
                    number=number,
                    buyer=buyer,
                    shop=next(iter(so.skus.values())).product.shop,
                    location_id=so.draft.location_id,
                    source=source,
                    source_ref=source_ref[:64],
                    currency=q.currency,
                    items_minor=so.draft.items.minor,
                    shipping_minor=so.shipping.minor,
                    discount_minor=so.discount.minor,
                    tax_minor=so.tax.minor,
                    total_minor=so.total.minor,
                    commission_rate=shop_rates[so.draft.shop_id],
                    shipping_address=snapshot,
                    note=(note or "")[:500],
                    placed_at=now,
                    pay_by=pay_by,
                    hold_on_payment=so.placement.hold_on_payment[:40],
                )
                for so, number in zip(q.orders, numbers, strict=True)
            ]
        )
        insert_objects(
            [
                OrderLine(
                    order=order,
                    sku_id=dl.sku_id,
                    product_id=dl.product_id,
                    product_name=so.skus[dl.sku_id].product.name()[:255],
                    sku_label=so.skus[dl.sku_id].label()[:255],
                    quantity=dl.quantity,
                    unit_price=dl.unit_price,
                    line_total_minor=dl.line_total.minor,
                    price_reasons=so.price_reasons[dl.sku_id],
                )
                for order, so in zip(new_orders, q.orders, strict=True)
                for dl in so.draft.lines
            ]
        )
        inventory.reserve(
            wanted=[
                inventory.Wanted(
                    so.stock_items[dl.sku_id].pk,
                    dl.quantity,
                    orders.order_ref(order.pk),
                )
                for order, so in zip(new_orders, q.orders, strict=True)
                for dl in so.draft.lines
            ],
            expires_at=pay_by,
        )
        orders.record_placed(new_orders)
        insert_objects(
            [
                Checkout.orders.through(checkout_id=checkout.pk, order_id=o.pk)
                for o in new_orders
            ]
        )
        for order, so in zip(new_orders, q.orders, strict=True):
            for seq, (account, amount, label) in enumerate(so.funded):
                orders.fund_discount(
                    order=order, account=account, amount=amount, label=label, seq=seq
                )
        for order, so in zip(new_orders, q.orders, strict=True):
            if so.placement.hold_before_payment:
                orders.hold_order(order=order, reason=so.placement.hold_before_payment)
        payable = [o for o in new_orders if o.status == "awaiting_payment"]
        if payable:
            if opened is None:
                raise ValueError("orders await payment that no charge was opened for")
            payment = payments.start_payment(
                buyer=buyer, orders_to_pay=payable, opened=opened
            )
            update_where(Checkout, {"payment": payment}, pk=checkout.pk)
            checkout.payment = payment
        if cart is not None:
            delete_where(
                CartLine,
                cart_id=cart.pk,
                sku_id__in=[dl.sku_id for so in q.orders for dl in so.draft.lines],
            )
        return Placed(checkout, orders=new_orders)


def _claim_key(
    *, buyer, key: str, digest: str, client: ClientInfo = UNKNOWN
) -> Checkout | None:
    """Insert the idempotency record, or return None when the key is taken.

    One statement, no savepoint: ``INSERT … ON CONFLICT DO NOTHING RETURNING``
    (PostgreSQL, SQLite ≥ 3.35). On PostgreSQL a racing insert of the same key
    waits for the first transaction and then inserts nothing.
    """
    now = clock.now()
    pk = insert_or_nothing(
        Checkout,
        {
            "buyer_id": buyer.pk,
            "idempotency_key": key,
            "body_hash": digest,
            "created_at": now,
            "client_ip": client.ip,
            "device_id": client.device_id[:64],
        },
        conflict=("buyer_id", "idempotency_key"),
    )
    if pk is None:
        return None
    return Checkout(
        pk=pk,
        buyer=buyer,
        idempotency_key=key,
        body_hash=digest,
        created_at=now,
        client_ip=client.ip,
        device_id=client.device_id[:64],
    )


def _replay(checkout: Checkout, digest: str) -> Placed:
    if checkout.body_hash != digest:
        raise Conflict(
            _("This Idempotency-Key was already used for a different request"),
            code="idempotency_key_reused",
        )
    return Placed(checkout, replayed=True)


@transaction.atomic
def forget_old_client_data() -> int:
    """Blank the IP and device id of checkouts older than the retention period
    (``EMPORIA["CLIENT_DATA_RETENTION_DAYS"]``); returns how many were blanked."""
    days = int(settings.EMPORIA.get("CLIENT_DATA_RETENTION_DAYS", 180))
    cutoff = clock.now() - dt.timedelta(days=days)
    return (
        Checkout.objects.filter(created_at__lt=cutoff)
        .exclude(client_ip__isnull=True, device_id="")
        .update(client_ip=None, device_id="")
    )
