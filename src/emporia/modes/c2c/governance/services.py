"""Governance writes: dismiss a flag, apply and lift penalties, appeals.

Every write names who did it (an operator, or ``by=None`` for the scoring
job's automatic penalties), when and why, and is reversible: a penalty
records exactly what it did to each trade (``PenalisedTrade.sales_removed``)
so lifting it undoes that, and measures shared with another active penalty
(a demotion, a freeze, withheld escrow) stay until the last one is lifted.

Effects, through core services only:

- ``remove_sales``: ``search.record_sales`` with the negative quantities of
  the trade's lines (paid trades: sales count from payment), and
  ``credit.exclude_rating_from_credit`` so its rating earns no credit.
- ``withhold_escrow``: the settlement policy (``policies``) keeps escrow
  held at completion; lifting settles completed trades
  (``orders.settle_order``) unless another policy still holds them.
- ``demote``: ``search.set_shop_demotion``.
- ``freeze``: ``accounts.freeze_shop`` / ``unfreeze_shop``.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from emporia.core.accounts import selectors as accounts
from emporia.core.accounts import services as account_services
from emporia.core.accounts.models import Shop
from emporia.core.orders import selectors as order_selectors
from emporia.core.orders import services as orders
from emporia.core.orders.models import Order
from emporia.core.orders.states import OrderStatus
from emporia.core.search import services as search
from emporia.infra.outbox.services import emit
from emporia.kernel import clock
from emporia.kernel.errors import Conflict, NotFound, ValidationFailed

from .. import reasons
from ..models import PenalisedTrade, Penalty, PenaltyAppeal, TradeAssessment
from ..services import credit
from . import events, selectors
from .selectors import require_operator

S = TradeAssessment.Status
M = Penalty.Measure
TRADE_MEASURES = frozenset({M.REMOVE_SALES, M.WITHHOLD_ESCROW})
MAX_TRADES = 500


def _text(value: str, field: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        missing = {
            "reason": _("Give a reason"),
            "text": _("Give a text"),
            "note": _("Give a note"),
        }
        raise ValidationFailed(missing[field], field=field)
    if len(value) > limit:
        too_long = {
            "reason": _("The reason is too long (at most %(limit)s)"),
            "text": _("The text is too long (at most %(limit)s)"),
            "note": _("The note is too long (at most %(limit)s)"),
        }
        raise ValidationFailed(too_long[field] % {"limit": limit}, field=field)
    return value


@transaction.atomic
def dismiss_assessment(*, order_id: int, by, note: str = "") -> TradeAssessment:
    """An operator finds a flagged trade honest: it leaves the queue and its
    escrow is released if the trade has completed. Raises Conflict unless the
    trade is flagged."""
    require_operator(by)
    found = TradeAssessment.objects.filter(order_id=order_id).first()
    if found is None:
        raise NotFound(_("This trade has not been assessed"))
    now = clock.now()
    updated = TradeAssessment.objects.filter(pk=found.pk, status=S.FLAGGED).update(
        status=S.DISMISSED, reviewed_by=by, reviewed_at=now, review_note=note[:500]
    )
    if not updated:
        not_flagged = {
            S.CLEAR: _("This trade is clear, not flagged"),
            S.FLAGGED: _("This trade is flagged, not flagged"),
            S.DISMISSED: _("This trade is dismissed, not flagged"),
            S.PENALISED: _("This trade is penalised, not flagged"),
        }
        raise Conflict(not_flagged[found.status])
    _release_if_free(order_id, actor=by)
    found.refresh_from_db()
    return found


@transaction.atomic
def apply_penalty(
    *,
    shop_id: int,
    order_ids: Sequence[int],
    measures: Sequence[str],
    reason: str,
    by,
) -> Penalty:
    """Penalise a shop for fake trades: ``measures`` ⊆ ``Penalty.Measure``,
    ``order_ids`` the shop's trades it covers (needed by ``remove_sales`` and
    ``withhold_escrow``). ``by`` an operator, or None for the scoring job.
    Their assessments become ``penalised``. Emits ``c2c.penalty_applied``.
    Raises ValidationFailed (nothing changed) for unknown measures, foreign
    or unknown trades, or a missing reason."""
    if by is not None:
        require_operator(by)
    reason = _text(reason, "reason", 500)
    wanted = list(dict.fromkeys(measures))
    if not wanted or any(m not in M.values for m in wanted):
        raise ValidationFailed(
            _("Choose measures among %(measures)s") % {"measures": ", ".join(M.values)},
            field="measures",
        )
    ids = sorted(set(order_ids))
    if len(ids) > MAX_TRADES:
        raise ValidationFailed(
            _("At most %(max)s trades per penalty") % {"max": MAX_TRADES}
        )
    if TRADE_MEASURES & set(wanted) and not ids:
        raise ValidationFailed(
            _("Name the trades this penalty covers"), field="order_ids"
        )
    shop = Shop.objects.select_for_update().filter(pk=shop_id).first()
    if shop is None:
        raise NotFound(_("No such shop"))
    locked = list(Order.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(ids) or any(o.shop_id != shop_id for o in locked):
        raise ValidationFailed(
            _("Every trade must be an order of this shop"), field="order_ids"
        )
    already_removed = selectors.excluded_order_ids(shop_id=shop_id)
    penalty = Penalty.objects.create(
        shop=shop,
        measures=wanted,
        reason=reason,
        automatic=by is None,
        applied_by=by,
        applied_at=clock.now(),
    )
    penalised = reasons.PENALTY.text(number=penalty.pk, reason=reason)
    trades = []
    for order in locked:
        removed = []
        if (
            M.REMOVE_SALES in wanted
            and order.pk not in already_removed
            and order.paid_at is not None
        ):
            removed = order_selectors.line_quantities(order_id=order.pk)
            for product_id, quantity in removed:
                search.record_sales(product_id=product_id, quantity=-quantity)
        if M.REMOVE_SALES in wanted:
            credit.exclude_rating_from_credit(
                order_id=order.pk,
                reason=penalised[:250],
                actor=by,
            )
        trades.append(
            PenalisedTrade(
                penalty=penalty,
                order=order,
                sales_removed=[list(r) for r in removed],
            )
        )
    PenalisedTrade.objects.bulk_create(trades)
    if M.DEMOTE in wanted:
        search.set_shop_demotion(
            shop_id=shop_id,
            demoted=True,
            reason=penalised[:255],
            actor_id=getattr(by, "pk", None),
        )
    if M.FREEZE in wanted and shop.status == Shop.Status.ACTIVE:
        account_services.freeze_shop(shop=shop, actor=by, reason=penalised)
    now = clock.now()
    TradeAssessment.objects.filter(order_id__in=ids).update(
        status=S.PENALISED, reviewed_by=by, reviewed_at=now
    )
    emit(
        events.PenaltyApplied(
            penalty_id=penalty.pk,
            shop_id=shop_id,
            order_ids=ids,
            measures=wanted,
            automatic=by is None,
        )
    )
    return penalty


def _others_active(penalty: Penalty, measure: str) -> bool:
    return any(
        measure in measures
        for measures in Penalty.objects.filter(
            shop_id=penalty.shop_id, status=Penalty.Status.ACTIVE
        )
        .exclude(pk=penalty.pk)
        .values_list("measures", flat=True)
    )


def _release_if_free(order_id: int, *, actor=None) -> bool:
    """Settle a completed trade whose escrow nothing holds any more (another
    settlement policy, a dispute say, may still hold it)."""
    order = Order.objects.filter(pk=order_id).first()
    if (
        order is None
        or order.status != OrderStatus.COMPLETED
        or order.settled_at is not None
        or selectors.withheld_reason(order_id=order_id)
    ):
        return False
    decision = orders.decide_settlement(order)
    if not decision.release:
        return False
    orders.settle_order(
        order=order, commission_rate=decision.commission_rate, actor=actor
    )
    return True


@transaction.atomic
def lift_penalty(*, penalty_id: int, by, reason: str) -> Penalty:
    """Reverse a penalty: sales counted again, escrow released for completed
    trades, demotion and freeze lifted unless another active penalty of the
    shop still has them; its trades' assessments become ``dismissed``.
    Emits ``c2c.penalty_lifted``. Raises Conflict if already lifted."""
    require_operator(by)
    reason = _text(reason, "reason", 500)
    penalty = Penalty.objects.select_for_update().filter(pk=penalty_id).first()
    if penalty is None:
        raise NotFound(_("No such penalty"))
    now = clock.now()
    updated = Penalty.objects.filter(
        pk=penalty.pk, status=Penalty.Status.ACTIVE
    ).update(
        status=Penalty.Status.LIFTED, lifted_by=by, lifted_at=now, lift_reason=reason
    )
    if not updated:
        raise Conflict(_("This penalty was already lifted"))
    penalty.refresh_from_db()
    lifted = reasons.PENALTY_LIFTED.text(number=penalty.pk, reason=reason)
    ids = []
    still_removed = selectors.excluded_order_ids(shop_id=penalty.shop_id)
    for trade in penalty.trades.order_by("order_id"):
        ids.append(trade.order_id)
        for product_id, quantity in trade.sales_removed:
            search.record_sales(product_id=product_id, quantity=quantity)
        if M.REMOVE_SALES in penalty.measures and trade.order_id not in still_removed:
            credit.restore_rating_to_credit(
                order_id=trade.order_id,
                reason=lifted[:250],
                actor=by,
            )
    if M.DEMOTE in penalty.measures and not _others_active(penalty, M.DEMOTE):
        search.set_shop_demotion(shop_id=penalty.shop_id, demoted=False)
    shop = Shop.objects.get(pk=penalty.shop_id)
    if (
        M.FREEZE in penalty.measures
        and shop.status == Shop.Status.FROZEN
        and not _others_active(penalty, M.FREEZE)
    ):
        account_services.unfreeze_shop(
            shop=shop,
            actor=by,
            reason=lifted[:250],
        )
    TradeAssessment.objects.filter(order_id__in=ids, status=S.PENALISED).exclude(
        order_id__in=list(
            PenalisedTrade.objects.filter(
                order_id__in=ids, penalty__status=Penalty.Status.ACTIVE
            ).values_list("order_id", flat=True)
        )
    ).update(status=S.DISMISSED, reviewed_by=by, reviewed_at=now, review_note=reason)
    for order_id in ids:
        _release_if_free(order_id, actor=by)
    emit(
        events.PenaltyLifted(
            penalty_id=penalty.pk,
            shop_id=penalty.shop_id,
            order_ids=ids,
            measures=list(penalty.measures),
            reason=reason,
        )
    )
    return penalty


@transaction.atomic
def file_appeal(*, penalty_id: int, by, text: str) -> PenaltyAppeal:
    """The penalised shop's staff appeal an active penalty, once, with text.
    Anyone else gets NotFound; a second appeal or a lifted penalty Conflict."""
    penalty = Penalty.objects.select_for_update().filter(pk=penalty_id).first()
    if penalty is None or not accounts.is_shop_staff(user=by, shop_id=penalty.shop_id):
        raise NotFound(_("No such penalty"))
    text = _text(text, "text", 4000)
    if penalty.status != Penalty.Status.ACTIVE:
        raise Conflict(_("This penalty was already lifted"))
    if PenaltyAppeal.objects.filter(penalty=penalty).exists():
        raise Conflict(_("This penalty has been appealed already"))
    return PenaltyAppeal.objects.create(
        penalty=penalty, text=text, filed_by=by, filed_at=clock.now()
    )


@transaction.atomic
def rule_appeal(*, appeal_id: int, by, decision: str, note: str) -> PenaltyAppeal:
    """An operator rules on an open appeal: ``decision`` "uphold" (the penalty
    stays) or "lift" (``lift_penalty``). Emits ``c2c.appeal_ruled``."""
    require_operator(by)
    if decision not in ("uphold", "lift"):
        raise ValidationFailed(_("Decide uphold or lift"), field="decision")
    note = _text(note, "note", 1000)
    appeal = (
        PenaltyAppeal.objects.select_related("penalty").filter(pk=appeal_id).first()
    )
    if appeal is None:
        raise NotFound(_("No such appeal"))
    status = (
        PenaltyAppeal.Status.UPHELD
        if decision == "uphold"
        else PenaltyAppeal.Status.LIFTED
    )
    updated = PenaltyAppeal.objects.filter(
        pk=appeal.pk, status=PenaltyAppeal.Status.OPEN
    ).update(status=status, ruled_by=by, ruled_at=clock.now(), ruling=note)
    if not updated:
        raise Conflict(_("This appeal was already ruled on"))
    if decision == "lift":
        lift_penalty(
            penalty_id=appeal.penalty_id,
            by=by,
            reason=reasons.APPEAL_GRANTED.text(note=note),
        )
    emit(
        events.AppealRuled(
            appeal_id=appeal.pk,
            penalty_id=appeal.penalty_id,
            shop_id=appeal.penalty.shop_id,
            decision=decision,
        )
    )
    appeal.refresh_from_db()
    return appeal
