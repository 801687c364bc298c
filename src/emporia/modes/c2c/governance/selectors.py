"""Governance reads: the review queue, a shop's penalties, the credit hook
``excluded_order_ids`` and whether escrow is withheld."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from emporia.core.accounts import selectors as accounts
from emporia.kernel.errors import NotFound, PermissionDenied

from ..models import PenalisedTrade, Penalty, PenaltyAppeal, TradeAssessment

S = TradeAssessment.Status
M = Penalty.Measure


def require_operator(user) -> None:
    """Raise PermissionDenied unless ``user`` is a platform operator."""
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or not (user.is_operator)
    ):
        raise PermissionDenied(_("Only platform operators may do this"))


def excluded_order_ids(*, shop_id: int | None = None) -> set[int]:
    """Trades that must not count in sales or credit: those covered by an
    active penalty with ``remove_sales``. The credit module excludes these
    (and follows ``c2c.penalty_applied`` / ``c2c.penalty_lifted``)."""
    qs = PenalisedTrade.objects.filter(penalty__status=Penalty.Status.ACTIVE)
    if shop_id is not None:
        qs = qs.filter(penalty__shop_id=shop_id)
    return {
        oid
        for oid, measures in qs.values_list("order_id", "penalty__measures")
        if M.REMOVE_SALES in measures
    }


def withheld_reason(*, order_id: int) -> str:
    """Why escrow must stay held for this trade ("" when it need not): an
    active penalty withholding it, or a flag awaiting review."""
    for measures, pk in PenalisedTrade.objects.filter(
        order_id=order_id, penalty__status=Penalty.Status.ACTIVE
    ).values_list("penalty__measures", "penalty_id"):
        if M.WITHHOLD_ESCROW in measures:
            return f"withheld by governance penalty {pk}"
    if TradeAssessment.objects.filter(order_id=order_id, status=S.FLAGGED).exists():
        return "flagged as a possible fake trade; under review"
    return ""


def review_queue(*, status: str = S.FLAGGED) -> QuerySet[TradeAssessment]:
    """Assessments in ``status``, highest score first (operators' queue)."""
    return (
        TradeAssessment.objects.filter(status=status)
        .select_related("order", "shop", "buyer")
        .order_by("-score", "-order_id")
    )


def assessment(*, order_id: int) -> TradeAssessment:
    found = (
        TradeAssessment.objects.select_related("order", "shop", "buyer")
        .filter(order_id=order_id)
        .first()
    )
    if found is None:
        raise NotFound(_("This trade has not been assessed"))
    return found


def penalties(*, status: str | None = None) -> QuerySet[Penalty]:
    qs = Penalty.objects.select_related("shop", "applied_by", "appeal").order_by(
        "-applied_at", "-id"
    )
    return qs.filter(status=status) if status else qs


def penalties_for_shop(*, user, shop_id: int) -> QuerySet[Penalty]:
    """A shop's penalties, for its staff (NotFound for anyone else)."""
    accounts.staff_shop(user=user, shop_id=shop_id)
    return penalties().filter(shop_id=shop_id)


def penalty_for_party(*, user, penalty_id: int) -> Penalty:
    """A penalty, for operators and the penalised shop's staff; NotFound else."""
    penalty = penalties().filter(pk=penalty_id).first()
    if penalty is None or not (
        user.is_operator or accounts.is_shop_staff(user=user, shop_id=penalty.shop_id)
    ):
        raise NotFound(_("No such penalty"))
    return penalty


def penalty_order_ids(penalty: Penalty) -> list[int]:
    return list(penalty.trades.order_by("order_id").values_list("order_id", flat=True))


def open_appeals() -> QuerySet[PenaltyAppeal]:
    return (
        PenaltyAppeal.objects.filter(status=PenaltyAppeal.Status.OPEN)
        .select_related("penalty__shop", "filed_by")
        .order_by("filed_at", "id")
    )


def queue_counts() -> dict[str, int]:
    return {
        "flagged": TradeAssessment.objects.filter(status=S.FLAGGED).count(),
        "penalties": Penalty.objects.filter(status=Penalty.Status.ACTIVE).count(),
        "appeals": PenaltyAppeal.objects.filter(
            status=PenaltyAppeal.Status.OPEN
        ).count(),
    }
