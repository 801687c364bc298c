"""Order writes.

Design overview
---------------
An order is one shop's part of a checkout. Its status changes only through
``_transition``: it checks the transition table (``states.check``), does a
compare-and-swap ``UPDATE … WHERE status = old`` so two racing writers (a
payment callback and the unpaid-order timer, say) cannot both win, writes an
``OrderStatusChange`` row with actor, time and reason, and emits the event —
all in the caller's transaction.

Money: the buyer's payment sits in the shop's escrow account from capture
(payments app) until ``settle_order`` releases it to the shop's payable
account minus commission, as decided by ``extensions.settlement_policies``.
What escrow still holds for an order is read from the ledger (entries with
``ref = "order:<id>"``), never stored on the order.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from emporia.core.inventory import services as inventory
from emporia.core.ledger import selectors as ledger_selectors
from emporia.core.ledger import services as ledger
from emporia.core.ledger.services import Leg
from emporia.infra.outbox.services import emit, emit_many
from emporia.infra.sql import Add, insert_objects, update_where
from emporia.kernel import clock
from emporia.kernel.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from emporia.kernel.money import Money

from . import events, reasons, states
from .extensions import Settlement, settlement_policies
from .models import Order, OrderStatusChange
from .states import OrderStatus as S
from .states import status_words

ACTOR_KINDS = ("buyer", "shop", "operator", "system")


def order_ref(order_id: int) -> str:
    """The reference that ties reservations and ledger entries to an order."""
    return f"order:{order_id}"


def new_order_number() -> str:
    stamp = clock.now().strftime("%y%m%d")
    return f"E{stamp}{secrets.token_hex(5).upper()}"


def _transition(
    order: Order,
    new: str,
    *,
    actor=None,
    actor_kind: str = "system",
    reason: str = "",
    **fields,
) -> Order:
    """The one writer of ``Order.status``; see the module docstring."""
    old = order.status
    states.check(old, new)
    now = clock.now()
    updated = update_where(
        Order, {"status": new, "version": Add(1), **fields}, pk=order.pk, status=old
    )
    if not updated:
        current = (
            Order.objects.filter(pk=order.pk).values_list("status", flat=True).first()
        )
        raise InvalidTransition(
            _("Order %(number)s is now %(current)s, not %(old)s; nothing was changed")
            % {
                "number": order.number,
                "current": status_words(current),
                "old": status_words(old),
            },
            code="stale_status",
            current=current,
        )
    order.status = new
    order.version += 1
    for key, value in fields.items():
        setattr(order, key, value)
    insert_objects(
        [
            OrderStatusChange(
                order=order,
                from_status=old,
                to_status=new,
                actor=actor if getattr(actor, "pk", None) else None,
                actor_kind=actor_kind if actor_kind in ACTOR_KINDS else "system",
                reason=reason[:255],
                at=now,
            )
        ]
    )
    return order


def record_placed(orders: Sequence[Order]) -> None:
    """History rows and events for freshly created orders (used by checkout in
    bulk, so placing N orders costs two queries, not 2N)."""
    now = clock.now()
    insert_objects(
        [
            OrderStatusChange(
                order=o,
                from_status="",
                to_status=o.status,
                actor_id=o.buyer_id,
                actor_kind="buyer",
                reason=reasons.PLACED.text(),
                at=now,
            )
            for o in orders
        ]
    )
    emit_many(
        events.OrderPlaced(
            order_id=o.pk,
            shop_id=o.shop_id,
            buyer_id=o.buyer_id,
            source=o.source,
            source_ref=o.source_ref,
            total_minor=o.total_minor,
            currency=o.currency,
        )
        for o in orders
    )


def awaits_payment(order: Order) -> bool:
    """Whether ``mark_paid`` would take this order (as read, under lock):
    awaiting payment, or on hold before payment (approval pending)."""
    return order.status == S.AWAITING_PAYMENT or (
        order.status == S.ON_HOLD and order.paid_at is None
    )


@transaction.atomic(savepoint=False)
def mark_paid(
    *, order: Order, actor=None, reason: str = reasons.PAYMENT_CAPTURED.text()
) -> Order:
    """Payment for this order was captured (money is in escrow already).

    No savepoint of its own (it runs on every paid order): a caller that
    may meet an order no longer awaiting payment asks ``awaits_payment``
    first, with the order locked, rather than catching InvalidTransition.

    Sells the reserved stock and moves the order to ``paid`` — or straight to
    ``on_hold`` when a hold was decided at placement (``hold_on_payment``).
    An order on hold before payment (approval pending) stays on hold, now
    paid. Raises InvalidTransition if the order was cancelled meanwhile.
    """
    now = clock.now()
    if order.status == S.ON_HOLD and order.paid_at is None:
        updated = Order.objects.filter(
            pk=order.pk, status=S.ON_HOLD, paid_at=None
        ).update(paid_at=now, version=F("version") + 1)
        if not updated:
            raise InvalidTransition(
                _("Order %(number)s changed meanwhile") % {"number": order.number}
            )
        order.paid_at = now
        held_for = order.hold_reason
    elif order.hold_on_payment:
        _transition(
            order,
            S.ON_HOLD,
            actor=actor,
            reason=reasons.PAID_AND_HELD.text(
                reason=reason, hold=order.hold_on_payment
            ),
            paid_at=now,
            hold_reason=order.hold_on_payment,
        )
        held_for = order.hold_on_payment
    else:
        _transition(order, S.PAID, actor=actor, reason=reason, paid_at=now)
        held_for = ""
    inventory.commit_reservations(refs=[order_ref(order.pk)], actor=actor)
    emit(
        events.OrderPaid(
            order_id=order.pk,
            shop_id=order.shop_id,
            buyer_id=order.buyer_id,
            source=order.source,
            source_ref=order.source_ref,
            total_minor=order.total_minor,
            currency=order.currency,
            held_for=held_for,
        )
    )
    return order


@transaction.atomic
def hold_order(
    *, order: Order, reason: str, actor=None, actor_kind: str = "system"
) -> Order:
    """Put an order on hold with a reason a module sets (approval pending…)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("A hold needs a reason"))
    _transition(
        order,
        S.ON_HOLD,
        actor=actor,
        actor_kind=actor_kind,
        reason=reasons.HELD.text(reason=reason),
        hold_reason=reason[:40],
    )
    if order.paid_at is None:
        # Unpaid and held: keep its stock until the hold ends.
        inventory.set_reservation_expiry(refs=[order_ref(order.pk)], expires_at=None)
    emit(events.OrderHeld(order_id=order.pk, shop_id=order.shop_id, reason=reason[:40]))
    return order


@transaction.atomic
def release_hold(
    *, order: Order, actor=None, actor_kind: str = "system", reason: str = ""
) -> Order:
    """End a hold: the order goes on to ``paid`` if it was paid, otherwise back
    to ``awaiting_payment`` (with a fresh payment deadline)."""
    if order.status != S.ON_HOLD:
        raise InvalidTransition(
            _("Order %(number)s is not on hold") % {"number": order.number}
        )
    why = reason or reasons.HOLD_RELEASED.text(reason=order.hold_reason)
    if order.paid_at:
        _transition(
            order,
            S.PAID,
            actor=actor,
            actor_kind=actor_kind,
            reason=why,
            hold_reason="",
            hold_on_payment="",
        )
    else:
        _transition(
            order,
            S.AWAITING_PAYMENT,
            actor=actor,
            actor_kind=actor_kind,
            reason=why,
            hold_reason="",
            pay_by=payment_deadline(),
        )
        inventory.set_reservation_expiry(
            refs=[order_ref(order.pk)], expires_at=order.pay_by
        )
    emit(
        events.OrderReleased(order_id=order.pk, shop_id=order.shop_id, reason=why[:200])
    )
    return order


def payment_deadline() -> dt.datetime:
    return clock.now() + dt.timedelta(
        minutes=settings.EMPORIA["PAYMENT_TIMEOUT_MINUTES"]
    )


@transaction.atomic
def cancel_unpaid_order(
    *, order: Order, actor=None, actor_kind: str = "system", reason: str
) -> Order:
    """Cancel an order no money was taken for, and give its stock back.

    Paid orders are refunded instead (``payments.services.refund_order``).
    """
    if order.paid_at is not None:
        raise Conflict(
            _("Order %(number)s is paid: it can be refunded, not cancelled")
            % {"number": order.number},
            code="order_paid",
        )
    _transition(order, S.CANCELLED, actor=actor, actor_kind=actor_kind, reason=reason)
    inventory.release_reservations(refs=[order_ref(order.pk)])
    _return_funding(order)
    emit(
        events.OrderCancelled(
            order_id=order.pk,
            shop_id=order.shop_id,
            buyer_id=order.buyer_id,
            source=order.source,
            source_ref=order.source_ref,
            reason=reason[:200],
        )
    )
    return order


@transaction.atomic
def start_fulfilment(*, order: Order, actor=None) -> Order:
    return _transition(
        order,
        S.FULFILLING,
        actor=actor,
        actor_kind="shop",
        reason=reasons.FULFILMENT_STARTED.text(),
    )


@transaction.atomic
def mark_shipped(
    *, order: Order, actor=None, reason: str = reasons.SHIPPED.text()
) -> Order:
    """All lines have left the warehouse (fulfilment calls this)."""
    _transition(order, S.SHIPPED, actor=actor, actor_kind="shop", reason=reason)
    emit(
        events.OrderShipped(
            order_id=order.pk, shop_id=order.shop_id, buyer_id=order.buyer_id
        )
    )
    return order


@transaction.atomic
def mark_delivered(
    *,
    order: Order,
    actor=None,
    actor_kind: str = "system",
    reason: str = reasons.DELIVERED.text(),
) -> Order:
    """The carrier delivered; the automatic receipt confirmation clock starts."""
    now = clock.now()
    days = settings.EMPORIA["AUTO_CONFIRM_RECEIPT_DAYS"]
    _transition(
        order,
        S.DELIVERED,
        actor=actor,
        actor_kind=actor_kind,
        reason=reason,
        delivered_at=now,
        auto_complete_at=now + dt.timedelta(days=days),
    )
    emit(
        events.OrderDelivered(
            order_id=order.pk, shop_id=order.shop_id, buyer_id=order.buyer_id
        )
    )
    return order


@transaction.atomic
def extend_auto_complete(*, order: Order, days: int, actor=None, reason: str) -> Order:
    """Push the automatic receipt confirmation back (a buyer's extension, a dispute)."""
    if order.status not in (S.DELIVERED, S.SHIPPED) or order.auto_complete_at is None:
        raise InvalidTransition(
            _("Only delivered orders awaiting confirmation can be extended")
        )
    new_at = order.auto_complete_at + dt.timedelta(days=days)
    Order.objects.filter(pk=order.pk).update(
        auto_complete_at=new_at, version=F("version") + 1
    )
    OrderStatusChange.objects.create(
        order=order,
        from_status=order.status,
        to_status=order.status,
        actor=actor,
        actor_kind="buyer" if actor else "system",
        reason=reason[:255],
    )
    order.auto_complete_at = new_at
    return order


@transaction.atomic
def complete_order(
    *,
    order: Order,
    actor=None,
    actor_kind: str = "buyer",
    reason: str = reasons.RECEIPT_CONFIRMED.text(),
) -> Order:
    """Receipt confirmed (by the buyer or the timer): complete and settle."""
    _transition(
        order,
        S.COMPLETED,
        actor=actor,
        actor_kind=actor_kind,
        reason=reason,
        completed_at=clock.now(),
    )
    emit(
        events.OrderCompleted(
            order_id=order.pk,
            shop_id=order.shop_id,
            buyer_id=order.buyer_id,
            source=order.source,
            source_ref=order.source_ref,
        )
    )
    decision = decide_settlement(order)
    if decision.release:
        settle_order(order=order, commission_rate=decision.commission_rate)
    return order


@transaction.atomic
def confirm_receipt(*, order: Order, buyer) -> Order:
    """The buyer says the goods arrived: the order completes and the shop is
    paid. A buyer holding the parcel before the carrier's delivery scan
    delivers it too. Raises Conflict before the order has shipped."""
    if order.buyer_id != buyer.pk:
        raise NotFound(_("No such order"))
    if order.status not in (S.SHIPPED, S.DELIVERED, S.PARTIALLY_REFUNDED):
        raise Conflict(
            _(
                "Order %(number)s is %(status)s; "
                "receipt can be confirmed once it has shipped"
            )
            % {"number": order.number, "status": status_words(order.status)},
            code="invalid_transition",
        )
    if order.status == S.SHIPPED:
        mark_delivered(
            order=order,
            actor=buyer,
            actor_kind="buyer",
            reason=reasons.DELIVERY_CONFIRMED.text(),
        )
    return complete_order(order=order, actor=buyer)


FUNDED_DISCOUNT = "funded_discount"


@transaction.atomic
def fund_discount(
    *, order: Order, account: str, amount: Money, label: str, seq: int = 0
) -> None:
    """A third party pays the shop for a discount the buyer got (see
    ``checkout.extensions``): Dr ``account`` / Cr the shop's escrow, ref
    ``order:<id>``, so settlement releases it to the shop with the buyer's
    payment. Idempotent per (order, ``seq``). A buyer-owned account
    (``user:…``) is locked and may not be overdrawn: Conflict, nothing posted.
    """
    key = f"fund:{order_ref(order.pk)}:{seq}"
    if ledger.entry_exists(key):
        return
    if account.startswith("user:"):
        ledger.lock_account(account)
        if ledger_selectors.balance(account, amount.currency) < amount:
            raise Conflict(
                _(
                    "The balance to spend no longer covers %(amount)s; nothing was placed"
                )
                % {"amount": amount},
                code="insufficient_balance",
            )
    ledger.post(
        key=key,
        kind=FUNDED_DISCOUNT,
        legs=[Leg.debit(account, amount), Leg.credit(escrow_account(order), amount)],
        memo=reasons.FUNDED.text(label=label, number=order.number)[:255],
        ref=order_ref(order.pk),
    )


def _return_funding(order: Order) -> None:
    """Give funded discounts back to their funders (an unpaid order cancelled)."""
    for key in ledger_selectors.entry_keys(
        ref=order_ref(order.pk), kind=FUNDED_DISCOUNT
    ):
        ledger.reverse(
            key=key,
            new_key=f"un{key}",
            kind="funding_returned",
            memo=reasons.FUNDING_RETURNED.text(number=order.number),
        )


FUNDING_REFUNDED = "funding_refunded"


def refund_funding(*, order: Order, actor=None) -> Money:
    """A fully refunded order gives its funded discounts back to their
    funders (the platform's marketing budget, a buyer's credit…): Cr each
    funder what it paid, Dr what the order still holds — its escrow first,
    then, when the order was already settled, the platform commission and the
    shop payable it was released to (their ``order:<id>`` balances). Called
    once the buyer's own payment is refunded in full, so afterwards every
    account involved nets to zero for this order. Idempotent (one entry,
    key ``refund_funding:order:<id>``); returns the amount given back.
    Runs in the caller's transaction."""
    ref = order_ref(order.pk)
    key = f"{FUNDING_REFUNDED}:{ref}"
    if ledger.entry_exists(key):
        return Money.zero(order.currency)
    funders: list[tuple[str, Money]] = []
    for fund_key in ledger_selectors.entry_keys(ref=ref, kind=FUNDED_DISCOUNT):
        if ledger.entry_exists(f"un{fund_key}"):
            continue  # returned when the unpaid order was cancelled
        funders += ledger_selectors.entry_debits(fund_key)
    if not funders:
        return Money.zero(order.currency)
    funded = Money(sum(m.minor for _, m in funders), order.currency)
    from_escrow = min(max(escrow_held(order), Money.zero(order.currency)), funded)
    rest = funded - from_escrow
    commission_code = ledger.platform_account("commission", order.currency)
    commission_left = ledger_selectors.ref_balance(code=commission_code, ref=ref)
    from_commission = min(max(commission_left, Money.zero(order.currency)), rest)
    from_payable = rest - from_commission
    legs = [Leg.credit(code, amount) for code, amount in funders]
    for code, amount in (
        (escrow_account(order), from_escrow),
        (commission_code, from_commission),
        (ledger.shop_account(order.shop_id, "payable", order.currency), from_payable),
    ):
        if amount.minor:
            legs.append(Leg.debit(code, amount))
    ledger.post(
        key=key,
        kind=FUNDING_REFUNDED,
        legs=legs,
        memo=reasons.FUNDING_REFUNDED.text(number=order.number),
        ref=ref,
        actor=actor,
    )
    return funded


def decide_settlement(order: Order) -> Settlement:
    for policy in settlement_policies:
        decision = policy.decide(order)
        if decision is not None:
            return decision
    return Settlement()


def escrow_account(order: Order) -> str:
    return ledger.shop_account(order.shop_id, "escrow", order.currency)


def escrow_held(order: Order) -> Money:
    """What escrow still holds for this order, from the ledger."""
    return ledger_selectors.ref_balance(
        code=escrow_account(order), ref=order_ref(order.pk)
    )


@transaction.atomic
def settle_order(
    *, order: Order, commission_rate: Decimal | None = None, actor=None
) -> Money:
    """Release what escrow holds for the order: Dr escrow / Cr shop payable and
    Cr platform commission. Idempotent: a settled order is not settled twice.
    Returns the amount credited to the shop."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.settled_at is not None:
        return Money.zero(order.currency)
    held = escrow_held(order)
    rate = order.commission_rate if commission_rate is None else commission_rate
    commission = held.times(rate) if held.minor > 0 else Money.zero(order.currency)
    payable = held - commission
    legs = []
    if held.minor > 0:
        legs.append(Leg.debit(escrow_account(order), held))
        if payable.minor > 0:
            legs.append(
                Leg.credit(
                    ledger.shop_account(order.shop_id, "payable", order.currency),
                    payable,
                )
            )
        if commission.minor > 0:
            legs.append(
                Leg.credit(
                    ledger.platform_account("commission", order.currency), commission
                )
            )
        ledger.post(
            key=f"settle:{order_ref(order.pk)}",
            kind="escrow_release",
            legs=legs,
            memo=reasons.SETTLED.text(number=order.number),
            ref=order_ref(order.pk),
            actor=actor,
        )
    now = clock.now()
    Order.objects.filter(pk=order.pk).update(settled_at=now)
    order.settled_at = now
    emit(
        events.OrderSettled(
            order_id=order.pk,
            shop_id=order.shop_id,
            payable_minor=payable.minor,
            commission_minor=commission.minor,
            currency=order.currency,
        )
    )
    return payable


@transaction.atomic
def record_refund(
    *,
    order: Order,
    refunded_total: Money,
    amount: Money,
    actor=None,
    actor_kind: str = "system",
    reason: str,
) -> Order:
    """Payments refunded ``amount`` (``refunded_total`` so far): the order becomes
    refunded or partially refunded. Once it is refunded in full its funded
    discounts go back to their funders (``refund_funding``); a partial refund
    comes out of the buyer's payment only."""
    fully = refunded_total.minor >= order.total_minor
    target = S.REFUNDED if fully else S.PARTIALLY_REFUNDED
    if order.status != target:
        _transition(order, target, actor=actor, actor_kind=actor_kind, reason=reason)
    else:
        OrderStatusChange.objects.create(
            order=order,
            from_status=target,
            to_status=target,
            actor=actor,
            actor_kind=actor_kind,
            reason=reason[:255],
        )
    if fully:
        refund_funding(order=order, actor=actor)
    emit(
        events.OrderRefunded(
            order_id=order.pk,
            shop_id=order.shop_id,
            buyer_id=order.buyer_id,
            amount_minor=amount.minor,
            currency=amount.currency,
            fully=fully,
        )
    )
    return order


def _for_each_due(status: str, deadline_field: str, action, *, limit: int) -> int:
    """Apply ``action`` to orders in ``status`` whose deadline has passed.

    An order another writer moved meanwhile (paid while we were cancelling it,
    say) raises InvalidTransition or Conflict and is skipped: that writer won.
    """
    due = list(
        Order.objects.filter(
            status=status, **{f"{deadline_field}__lte": clock.now()}
        ).order_by(deadline_field, "id")[:limit]
    )
    done = 0
    for order in due:
        try:
            action(order)
            done += 1
        except (InvalidTransition, Conflict):
            continue
    return done


def cancel_overdue_unpaid(*, limit: int = 200) -> int:
    """Cancel unpaid orders past their deadline and release their stock."""
    return _for_each_due(
        S.AWAITING_PAYMENT,
        "pay_by",
        lambda order: cancel_unpaid_order(order=order, reason=reasons.NOT_PAID.text()),
        limit=limit,
    )


def auto_complete_due(*, limit: int = 200) -> int:
    """Confirm receipt for delivered orders whose confirmation window ended."""
    return _for_each_due(
        S.DELIVERED,
        "auto_complete_at",
        lambda order: complete_order(
            order=order, actor_kind="system", reason=reasons.AUTO_CONFIRMED.text()
        ),
        limit=limit,
    )
