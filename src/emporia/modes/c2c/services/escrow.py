"""Guaranteed trade (担保交易): the buyer's one extension of the automatic
escrow release, and the settlement policy that withholds escrow while a
dispute is open.

The core holds the buyer's money in the shop's escrow account from capture
until ``orders.services.settle_order``; ``complete_order`` (the buyer's
confirmation, or the ``orders.auto_complete`` job N days after delivery)
settles unless a ``settlement_policies`` entry says ``release=False``.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from emporia.core.orders import services as orders
from emporia.core.orders.extensions import Settlement
from emporia.core.orders.models import Order
from emporia.core.orders.states import OrderStatus
from emporia.infra.outbox.services import emit
from emporia.kernel.errors import Conflict, NotFound

from .. import reasons, trust_settings
from ..events.trust import EscrowExtended
from ..models import Dispute, EscrowExtension
from ..states.disputes import OPEN_STATES


@transaction.atomic
def extend_release(*, order: Order, buyer) -> EscrowExtension:
    """The buyer pushes the automatic release back by ``C2C_EXTENSION_DAYS``,
    once per order, while the order is shipped or delivered and waiting for
    confirmation. Someone else's order is NotFound; a second extension or an
    order past that stage is a Conflict (nothing changed)."""
    order = Order.objects.select_for_update().filter(pk=order.pk).first()
    if order is None or order.buyer_id != buyer.pk:
        raise NotFound(_("No such order"))
    if EscrowExtension.objects.filter(order_id=order.pk).exists():
        raise Conflict(
            _(
                "The release of this order was extended already; it can be "
                "extended once"
            ),
            code="already_extended",
        )
    if order.status != OrderStatus.DELIVERED or order.auto_complete_at is None:
        raise Conflict(
            _("Only a delivered order waiting for your confirmation can be extended"),
            code="invalid_transition",
        )
    days = int(trust_settings.get("C2C_EXTENSION_DAYS"))
    old_at = order.auto_complete_at
    try:
        with transaction.atomic():
            extension = EscrowExtension.objects.create(
                order=order,
                buyer=buyer,
                days=days,
                old_release_at=old_at,
                new_release_at=old_at + dt.timedelta(days=days),
            )
    except IntegrityError as exc:
        raise Conflict(
            _("The release of this order was extended already"),
            code="already_extended",
        ) from exc
    orders.extend_auto_complete(
        order=order,
        days=days,
        actor=buyer,
        reason=reasons.ESCROW_EXTENDED.text(days=days),
    )
    emit(
        EscrowExtended(
            order_id=order.pk,
            shop_id=order.shop_id,
            buyer_id=buyer.pk,
            days=days,
            release_at=extension.new_release_at.isoformat(),
        )
    )
    return extension


class DisputeSettlementPolicy:
    """``orders.settlement_policies``: while an order has an open dispute,
    completing it (by the buyer or the auto-confirm timer) keeps the money in
    escrow; the ruling releases or refunds it. Other orders: no opinion."""

    def decide(self, order: Order) -> Settlement | None:
        if Dispute.objects.filter(order_id=order.pk, status__in=OPEN_STATES).exists():
            return Settlement(release=False, reason="dispute open")
        return None
