"""Payment reads, scoped to the buyer."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from emporia.kernel.errors import NotFound

from .models import Payment


def payment_for(*, user, payment_id: int) -> Payment:
    payment = Payment.objects.filter(pk=payment_id, buyer=user).first()
    if payment is None:
        raise NotFound(_("No such payment"))
    return payment


def awaiting_callbacks(*, limit: int = 20) -> tuple[int, QuerySet[Payment]]:
    """Payments still pending at the provider (no decisive callback yet), the
    count and the oldest ``limit`` of them (operations console)."""
    qs = Payment.objects.filter(status=Payment.Status.PENDING).order_by(
        "created_at", "id"
    )
    return qs.count(), qs[: max(1, min(limit, 200))]


def open_payment_for_order(*, user, order_id: int) -> Payment | None:
    """The buyer's pending payment covering an order (to resume paying), if any."""
    return (
        Payment.objects.filter(
            buyer=user, orders__pk=order_id, status=Payment.Status.PENDING
        )
        .order_by("-id")
        .first()
    )


def payer_accounts(*, buyer_ids) -> dict[int, set[str]]:
    """The provider-reported accounts each buyer has paid from (``payer_ref``
    of captured payments, when the provider reports one) — for fraud checks
    such as two accounts paying from one wallet."""
    out: dict[int, set[str]] = {b: set() for b in buyer_ids}
    rows = (
        Payment.objects.filter(buyer_id__in=list(buyer_ids))
        .exclude(payer_ref="")
        .values_list("buyer_id", "payer_ref")
    )
    for buyer_id, ref in rows:
        out[buyer_id].add(ref)
    return out
