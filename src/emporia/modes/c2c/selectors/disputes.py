"""Dispute reads, scoped to the buyer, the shop's staff or operators."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from emporia.core.accounts import selectors as accounts
from emporia.core.orders import selectors as order_selectors
from emporia.core.orders import services as orders
from emporia.kernel import clock
from emporia.kernel.errors import NotFound
from emporia.kernel.money import Money

from ..extensions import Check
from ..models import Dispute, DisputeEvidence, DisputeStatusChange, EscrowExtension
from ..states.disputes import OPEN_STATES, DisputeOutcome, DisputeStatus

# Seller growth checklist: disputes over the last 90 days. Taobao's own
# yardstick (纠纷退款率) is well under 1 %: one dispute per hundred paid
# orders already marks a shop as troubled.
DISPUTE_DAYS = 90
MAX_DISPUTE_PERCENT = Decimal(1)
MAX_DISPUTES_LOST = 0
LOST = (DisputeOutcome.REFUND_FULL, DisputeOutcome.REFUND_PARTIAL)


def _detailed(qs: QuerySet[Dispute]) -> QuerySet[Dispute]:
    return qs.select_related("order", "shop", "buyer", "ruled_by").prefetch_related(
        Prefetch("evidence", queryset=DisputeEvidence.objects.select_related("author")),
        Prefetch(
            "history", queryset=DisputeStatusChange.objects.select_related("actor")
        ),
    )


def dispute_for_user(*, user, dispute_id: int) -> Dispute:
    """The dispute if ``user`` is its buyer, staff of its shop or an
    operator; NotFound for anyone else."""
    dispute = _detailed(Dispute.objects.filter(pk=dispute_id)).first()
    if dispute is None or not (
        dispute.buyer_id == user.pk
        or user.is_operator
        or accounts.is_shop_staff(user=user, shop_id=dispute.shop_id)
    ):
        raise NotFound(_("No such dispute"))
    return dispute


def dispute_for_order(order_id: int) -> Dispute | None:
    return Dispute.objects.filter(order_id=order_id).first()


def extension_for_order(order_id: int) -> EscrowExtension | None:
    return EscrowExtension.objects.filter(order_id=order_id).first()


def disputes_for_shop(*, user, shop_id: int) -> QuerySet[Dispute]:
    """A shop's disputes, open ones first (NotFound unless ``user`` is staff)."""
    accounts.staff_shop(user=user, shop_id=shop_id)
    return (
        Dispute.objects.filter(shop_id=shop_id)
        .select_related("order", "buyer")
        .order_by("ruled_at", "-opened_at", "-id")
    )


def disputes_for_buyer(*, user) -> QuerySet[Dispute]:
    return (
        Dispute.objects.filter(buyer_id=user.pk)
        .select_related("order", "shop")
        .order_by("-opened_at", "-id")
    )


def dispute_queue(*, status: str | None = None) -> QuerySet[Dispute]:
    """Operators' queue: open and answered disputes, oldest first (or all of
    one status)."""
    qs = Dispute.objects.select_related("order", "shop", "buyer")
    if status:
        return qs.filter(status=status).order_by("-opened_at", "-id")
    return qs.filter(status__in=list(OPEN_STATES)).order_by("opened_at", "id")


def held_in_disputes(*, shop_id: int, currency: str) -> Money:
    """What the shop's escrow holds for orders under an open dispute."""
    total = Money.zero(currency)
    for dispute in Dispute.objects.filter(
        shop_id=shop_id, currency=currency, status__in=list(OPEN_STATES)
    ).select_related("order"):
        total += orders.escrow_held(dispute.order)
    return total


def evidence_for_user(*, user, evidence_id: int) -> DisputeEvidence:
    evidence = DisputeEvidence.objects.filter(pk=evidence_id).first()
    if evidence is None:
        raise NotFound(_("No such evidence"))
    dispute_for_user(user=user, dispute_id=evidence.dispute_id)
    return evidence


def _dispute_figures(shop_id: int) -> tuple[int, int, int, int]:
    """(orders paid, disputes opened, disputes ruled, disputes lost) of the
    shop over the last ``DISPUTE_DAYS`` days. Two queries."""
    since = clock.now() - dt.timedelta(days=DISPUTE_DAYS)
    paid = (
        order_selectors.orders_for_shop(shop_id=shop_id)
        .filter(paid_at__gte=since)
        .count()
    )
    row = Dispute.objects.filter(shop_id=shop_id).aggregate(
        opened=Count("id", filter=Q(opened_at__gte=since)),
        ruled=Count("id", filter=Q(ruled_at__gte=since, status=DisputeStatus.RULED)),
        lost=Count(
            "id",
            filter=Q(
                ruled_at__gte=since,
                status=DisputeStatus.RULED,
                outcome__in=list(LOST),
            ),
        ),
    )
    return paid, row["opened"], row["ruled"], row["lost"]


def dispute_rate_check(shop_id: int) -> Check:
    """Growth checklist item ``dispute_rate``: disputes opened in the last
    ``DISPUTE_DAYS`` days per 100 orders paid in them (a dispute opened now
    may be about an older order), passing at ≤ ``MAX_DISPUTE_PERCENT``.
    Not judged (``ok`` None) without paid orders."""
    paid, opened, _ruled, _lost = _dispute_figures(shop_id)
    value = (
        (Decimal(100 * opened) / paid).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
        if paid
        else None
    )
    return Check(
        "dispute_rate",
        value,
        MAX_DISPUTE_PERCENT,
        "percent",
        None if value is None else value <= MAX_DISPUTE_PERCENT,
        paid,
        {"disputes": opened, "days": DISPUTE_DAYS},
    )


def disputes_lost_check(shop_id: int) -> Check:
    """Growth checklist item ``disputes_lost``: disputes the platform ruled
    against the shop (full or partial refund) in the last ``DISPUTE_DAYS``
    days, a count; passes at ≤ ``MAX_DISPUTES_LOST``. ``basis`` is the
    disputes ruled in the window. Not judged without paid orders or rulings."""
    paid, _opened, ruled, lost = _dispute_figures(shop_id)
    judged = bool(paid or ruled)
    return Check(
        "disputes_lost",
        Decimal(lost) if judged else None,
        Decimal(MAX_DISPUTES_LOST),
        "count",
        (lost <= MAX_DISPUTES_LOST) if judged else None,
        ruled,
        {"days": DISPUTE_DAYS},
    )
