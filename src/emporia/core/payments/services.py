"""Payment writes: starting a payment, handling provider callbacks, refunds.

Callbacks are the tricky part. A provider may send the same event many
times, send events late (after the order timed out), out of order (a
"failed" after a "succeeded"), with a wrong amount, or a forger may send
one. The rules:

- the signature is checked by the provider adapter before anything else;
- every callback that names a real payment is logged as a PaymentEvent;
- an event id seen before changes nothing (CallbackReceipt is unique);
- a success whose amount or currency differs from the payment's is refused
  and logged, the payment stays as it was;
- success wins: once money is taken it is captured into escrow exactly once
  (compare-and-swap on Payment.status plus unique ledger keys); a later
  "failed" is stale and ignored;
- a success for an order that was already cancelled is captured and
  refunded at once, so the buyer gets the money back automatically.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from emporia.core.inventory import services as inventory
from emporia.core.ledger import services as ledger
from emporia.core.ledger.services import Leg
from emporia.core.orders import services as orders
from emporia.core.orders.models import Order
from emporia.core.orders.states import OrderStatus as S
from emporia.core.orders.states import status_words
from emporia.infra import retention
from emporia.infra.outbox.services import emit
from emporia.infra.psp.base import CallbackData, Charge, ProviderDeclined, providers
from emporia.infra.sql import (
    CompiledQuery,
    insert_objects,
    insert_or_nothing,
    update_where,
)
from emporia.kernel import clock
from emporia.kernel.errors import (
    Conflict,
    NotFound,
    ValidationFailed,
)
from emporia.kernel.money import Money

from . import events, reasons
from .models import CallbackReceipt, Payment, PaymentEvent, Refund

log = logging.getLogger(__name__)

CALLBACK_PATH = "/api/payments/callbacks/{provider}"

# The callback's reads, compiled once (emporia.infra.sql.CompiledQuery; ADR 9).
_PAYMENT_FOR_CALLBACK = CompiledQuery(
    lambda reference, provider: Payment.objects.filter(
        reference=reference, provider=provider
    ).order_by("pk")[:1],
    reference=str,
    provider=str,
)
_ORDERS_OF_PAYMENT = CompiledQuery(
    lambda payment_id: (
        Order.objects.select_for_update().filter(payments__id=payment_id).order_by("pk")
    ),
    payment_id=int,
)


def new_reference() -> str:
    return "pay_" + secrets.token_hex(12)


def _provider(name: str):
    provider = providers.get(name)
    if provider is None:
        raise NotFound(f"Unknown payment provider {name!r}")
    return provider


@dataclass(frozen=True)
class OpenedCharge:
    """A charge opened at the provider for a payment not yet recorded:
    ``charge`` is None when there is nothing to collect (a zero amount)."""

    provider: str
    reference: str
    amount: Money
    charge: Charge | None


def open_charge(
    *,
    amount: Money,
    description: str,
    provider: str = "sandbox",
    return_url: str = "/account/orders/",
) -> OpenedCharge:
    """Ask the provider for a charge of ``amount``, before the orders it pays
    for are written: call it outside any database transaction.

    A provider is a third party: its answer may take seconds, and a checkout
    must not hold its row locks (the stock it reserves) or, on SQLite, the
    database's write lock while it waits. A checkout that fails after this
    leaves the charge open and unpaid at the provider, as an abandoned
    payment does. A provider's refusal raises before anything is written.
    """
    reference = new_reference()
    if amount.minor == 0:
        return OpenedCharge("none", reference, amount, None)
    charge = _provider(provider).create_charge(
        merchant_ref=reference,
        amount=amount,
        description=description[:200],
        callback_url=CALLBACK_PATH.format(provider=provider),
        return_url=return_url,
    )
    return OpenedCharge(provider, reference, amount, charge)


@transaction.atomic(savepoint=False)
def start_payment(
    *, buyer, orders_to_pay: Sequence[Order], opened: OpenedCharge
) -> Payment:
    """Record one payment for the given unpaid orders of one buyer and
    currency, through the charge ``open_charge`` opened for their total.

    A zero total (free goods) is captured at once. Runs in the caller's
    transaction without a savepoint.
    """
    if not orders_to_pay:
        raise ValidationFailed(_("Nothing to pay"))
    currencies = {o.currency for o in orders_to_pay}
    if len(currencies) != 1:
        raise ValidationFailed(_("Orders in different currencies are paid separately"))
    if any(o.buyer_id != buyer.pk for o in orders_to_pay):
        raise NotFound(_("No such order"))
    currency = currencies.pop()
    amount = Money(sum(o.total_minor for o in orders_to_pay), currency)
    if amount != opened.amount:
        raise ValueError(
            f"the charge was opened for {opened.amount}, the orders come to {amount}"
        )
    if opened.charge is None:
        payment = Payment.objects.create(
            buyer=buyer,
            reference=opened.reference,
            amount_minor=0,
            currency=currency,
            provider="none",
            status=Payment.Status.SUCCEEDED,
            succeeded_at=clock.now(),
        )
        payment.orders.add(*orders_to_pay)
        PaymentEvent.objects.create(
            payment=payment, kind="captured", outcome="zero total"
        )
        for order in orders_to_pay:
            orders.mark_paid(order=order, reason=reasons.NOTHING_TO_PAY.text())
        return payment
    payment = Payment(
        buyer=buyer,
        reference=opened.reference,
        amount_minor=amount.minor,
        currency=currency,
        provider=opened.provider,
        provider_ref=opened.charge.provider_ref,
        redirect_url=opened.charge.redirect_url,
    )
    insert_objects([payment])
    insert_objects(
        [
            Payment.orders.through(payment_id=payment.pk, order_id=o.pk)
            for o in orders_to_pay
        ]
    )
    return payment


@dataclass(frozen=True)
class CallbackResult:
    status: int
    outcome: str
    payment_id: int | None = None


def _capture_entry(order: Order, payment: Payment) -> None:
    amount = Money(order.total_minor, order.currency)
    if amount.minor == 0:
        return
    ledger.post(
        key=f"capture:{orders.order_ref(order.pk)}:{payment.reference}",
        kind="payment_capture",
        legs=[
            Leg.debit(ledger.platform_account("psp_clearing", order.currency), amount),
            Leg.credit(orders.escrow_account(order), amount),
        ],
        memo=reasons.CAPTURED.text(number=order.number),
        ref=orders.order_ref(order.pk),
    )


def handle_callback(
    *, provider_name: str, body: bytes, headers: Mapping[str, str]
) -> CallbackResult:
    """Apply one provider callback; see the module docstring for the rules.

    Raises InvalidSignature / MalformedCallback (nothing logged against a
    payment: we cannot trust what it names) and NotFound for an unknown
    payment. Returns the HTTP status to answer and what happened.

    The signature check and the payment's lookup run before the write
    transaction (on SQLite, outside the database's one write lock). What
    they read cannot change under it — the payment's reference, amount,
    currency and buyer are fixed when it starts — except its status, which
    every write below changes only by compare-and-swap.
    """
    data = _provider(provider_name).parse_callback(body=body, headers=headers)
    payment = _PAYMENT_FOR_CALLBACK.first(
        reference=data.merchant_ref[:40], provider=provider_name
    )
    if payment is None or (
        payment.provider_ref and payment.provider_ref != data.provider_ref
    ):
        raise NotFound("No payment matches this callback")
    with transaction.atomic():
        return _apply_callback(provider_name, data, payment)


def _apply_callback(
    provider_name: str, data: CallbackData, payment: Payment
) -> CallbackResult:
    def log_event(kind: str, outcome: str) -> None:
        insert_objects(
            [
                PaymentEvent(
                    payment=payment,
                    kind=kind,
                    provider_event_id=data.event_id,
                    payload=data.raw,
                    outcome=outcome,
                )
            ]
        )

    first_time = insert_or_nothing(
        CallbackReceipt,
        {
            "provider": provider_name,
            "event_id": data.event_id[:64],
            "received_at": clock.now(),
        },
        conflict=("provider", "event_id"),
    )
    if first_time is None:
        log_event("callback_duplicate", "already handled; ignored")
        return CallbackResult(200, "duplicate", payment.pk)

    if data.status == "failed":
        if update_where(
            Payment,
            {"status": Payment.Status.FAILED},
            pk=payment.pk,
            status=Payment.Status.PENDING,
        ):
            log_event("callback_failed", "payment failed; orders still await payment")
            emit(events.PaymentFailed(payment_id=payment.pk, buyer_id=payment.buyer_id))
            return CallbackResult(200, "failed", payment.pk)
        now = Payment.objects.values_list("status", flat=True).get(pk=payment.pk)
        log_event("callback_stale", f"failure after {now}; ignored")
        return CallbackResult(200, "stale", payment.pk)

    if data.status != "succeeded":
        log_event("callback_rejected", f"unknown status {data.status!r}")
        return CallbackResult(
            422, f"Unknown payment status {data.status!r}", payment.pk
        )
    if data.amount != Money(payment.amount_minor, payment.currency):
        log_event(
            "callback_rejected",
            f"amount {data.amount} does not match {payment.amount_minor} {payment.currency}",
        )
        return CallbackResult(
            422, "The paid amount does not match the payment", payment.pk
        )

    won = update_where(
        Payment,
        {
            "status": Payment.Status.SUCCEEDED,
            "succeeded_at": clock.now(),
            "provider_ref": data.provider_ref,
            "payer_ref": data.payer_ref[:64],
        },
        pk=payment.pk,
        status__in=[Payment.Status.PENDING, Payment.Status.FAILED],
    )
    if not won:
        log_event("callback_duplicate", "payment already captured; ignored")
        return CallbackResult(200, "already captured", payment.pk)
    payment.status = Payment.Status.SUCCEEDED
    log_event("captured", "captured into escrow")
    paid_orders = _ORDERS_OF_PAYMENT.all(payment_id=payment.pk)
    for order in paid_orders:
        _capture_entry(order, payment)
        # The orders are locked (SELECT … FOR UPDATE; SQLite's write lock):
        # what they were read as is what mark_paid will find.
        if orders.awaits_payment(order):
            orders.mark_paid(order=order)
        else:
            # Paid after the order was cancelled (timeout): give the money back.
            _refund(
                order=order,
                payment=payment,
                amount=order.total,
                reason=reasons.PAID_AFTER_CANCEL.text(),
                key=f"late:{order.pk}",
                transition=False,
            )
            log_event(
                "late_payment_refunded", f"order {order.number} was {order.status}"
            )
    emit(
        events.PaymentSucceeded(
            payment_id=payment.pk,
            buyer_id=payment.buyer_id,
            amount_minor=payment.amount_minor,
            currency=payment.currency,
            order_ids=[o.pk for o in paid_orders],
        )
    )
    return CallbackResult(200, "captured", payment.pk)


def purge_callback_receipts() -> int:
    """Delete callback receipts older than
    ``EMPORIA["CALLBACK_RECEIPT_RETENTION_DAYS"]`` (30); returns how many.

    A receipt is how a provider's retry of an event already handled is
    answered "duplicate" at once. Providers stop retrying within days, and
    an event that still arrives after its receipt has gone changes nothing
    either: the payment's own state refuses a second capture ("already
    captured") and a failure after success ("stale").
    """
    before = retention.cutoff("CALLBACK_RECEIPT_RETENTION_DAYS", 30)
    return retention.purge(
        lambda: CallbackReceipt.objects.filter(received_at__lt=before)
    )


def refunded_total(order: Order) -> Money:
    minor = (
        Refund.objects.filter(order=order, status=Refund.Status.SUCCEEDED).aggregate(
            s=Sum("amount_minor")
        )["s"]
        or 0
    )
    return Money(minor, order.currency)


def _refund(
    *,
    order: Order,
    payment: Payment,
    amount: Money,
    reason: str,
    key: str,
    actor=None,
    actor_kind: str = "system",
    transition: bool = True,
) -> Refund:
    result = _provider(payment.provider).refund(
        provider_ref=payment.provider_ref, amount=amount, key=key
    )
    if not result.succeeded:
        raise ProviderDeclined(
            _("The payment provider refused the refund: %(why)s")
            % {"why": result.message}
        )
    clearing = ledger.platform_account("psp_clearing", order.currency)
    held = orders.escrow_held(order)
    if held.minor >= amount.minor:
        legs = [
            Leg.debit(orders.escrow_account(order), amount),
            Leg.credit(clearing, amount),
        ]
    else:
        # Already released to the shop: claw back from its payable and the
        # platform's commission in the proportion they were credited.
        from_escrow = held if held.minor > 0 else Money.zero(order.currency)
        rest = amount - from_escrow
        commission_part = rest.times(order.commission_rate)
        legs = [Leg.credit(clearing, amount)]
        if from_escrow.minor:
            legs.append(Leg.debit(orders.escrow_account(order), from_escrow))
        if (rest - commission_part).minor:
            legs.append(
                Leg.debit(
                    ledger.shop_account(order.shop_id, "payable", order.currency),
                    rest - commission_part,
                )
            )
        if commission_part.minor:
            legs.append(
                Leg.debit(
                    ledger.platform_account("commission", order.currency),
                    commission_part,
                )
            )
    ledger.post(
        key=f"refund:{key}",
        kind="refund",
        legs=legs,
        memo=reason[:255],
        ref=orders.order_ref(order.pk),
        actor=actor,
    )
    refund = Refund.objects.create(
        payment=payment,
        order=order,
        amount_minor=amount.minor,
        currency=amount.currency,
        reason=reason[:255],
        key=key,
        provider_ref=result.provider_ref,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    if transition:
        orders.record_refund(
            order=order,
            refunded_total=refunded_total(order),
            amount=amount,
            actor=actor,
            actor_kind=actor_kind,
            reason=reason,
        )
    emit(
        events.RefundSucceeded(
            refund_id=refund.pk,
            order_id=order.pk,
            shop_id=order.shop_id,
            amount_minor=amount.minor,
            currency=amount.currency,
        )
    )
    return refund


REFUNDABLE = frozenset(
    {
        S.PAID,
        S.ON_HOLD,
        S.FULFILLING,
        S.SHIPPED,
        S.DELIVERED,
        S.PARTIALLY_REFUNDED,
        S.COMPLETED,
    }
)


@transaction.atomic
def refund_order(
    *,
    order: Order,
    amount: Money | None = None,
    reason: str,
    key: str,
    actor=None,
    actor_kind: str = "system",
) -> Refund | None:
    """Return money for a paid order through the provider and the ledger.

    ``amount`` defaults to everything not yet refunded. The same ``key`` twice
    refunds once (the first Refund is returned). Raises ValidationFailed for
    an amount above what is left, Conflict for an unpaid order. Once the
    order is refunded in full, its funded discounts go back to their funders
    (``orders.refund_funding``). A free order (total 0) with no ``amount``
    is refunded without a provider call and returns None.
    """
    existing = Refund.objects.filter(key=key).first()
    if existing is not None:
        if existing.order_id != order.pk:
            raise Conflict(_("This refund key was used for another order"))
        return existing
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.paid_at is None or order.status not in REFUNDABLE:
        raise Conflict(
            _("Order %(number)s is %(status)s: there is no payment to refund")
            % {"number": order.number, "status": status_words(order.status)}
        )
    if order.total_minor == 0 and amount is None:
        # A free order (a prize, a discount funded in full): the buyer paid
        # nothing, so there is nothing to send back through the provider; the
        # order is refunded and its funders get their money back.
        orders.record_refund(
            order=order,
            refunded_total=Money.zero(order.currency),
            amount=Money.zero(order.currency),
            actor=actor,
            actor_kind=actor_kind,
            reason=reason,
        )
        return None
    left = order.total - refunded_total(order)
    amount = left if amount is None else amount
    if amount.currency != order.currency:
        raise ValidationFailed(
            _("Refunds for this order are in %(currency)s")
            % {"currency": order.currency}
        )
    if amount.minor <= 0 or amount > left:
        raise ValidationFailed(
            _("A refund must be between 0 and %(left)s (what is left to refund)")
            % {"left": left}
        )
    payment = (
        order.payments.filter(status=Payment.Status.SUCCEEDED).order_by("-pk").first()
    )
    if payment is None:
        raise Conflict(_("No captured payment was found for this order"))
    return _refund(
        order=order,
        payment=payment,
        amount=amount,
        reason=reason,
        key=key,
        actor=actor,
        actor_kind=actor_kind,
    )


@transaction.atomic
def cancel_and_refund(
    *, order: Order, reason: str, actor=None, actor_kind: str = "system"
) -> Refund | None:
    """Cancel a paid order that has not shipped: refund everything and put the
    sold units back on hand (a group that did not fill, a shop that cannot
    deliver, a buyer who changed their mind before shipping). Funded
    discounts go back to their funders; a free order returns None."""
    if order.status not in (S.PAID, S.ON_HOLD, S.FULFILLING):
        raise Conflict(
            _("Order %(number)s has shipped or is not paid; request a return instead")
            % {"number": order.number}
        )
    refund = refund_order(
        order=order,
        reason=reason,
        key=f"cancel:{order.pk}",
        actor=actor,
        actor_kind=actor_kind,
    )
    inventory.restock_committed(
        refs=[orders.order_ref(order.pk)], reason=reason, actor=actor
    )
    return refund


def callback_url(provider: str) -> str:
    return settings.EMPORIA["PUBLIC_BASE_URL"] + CALLBACK_PATH.format(provider=provider)
