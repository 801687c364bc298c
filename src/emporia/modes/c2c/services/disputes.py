"""Escrow disputes (交易纠纷): the buyer opens, the seller answers, a platform
operator rules; every money movement goes through core services.

- Open: the buyer of a shipped or delivered order whose escrow is not
  released (``settled_at`` empty) opens one dispute with a reason and
  evidence. From then on ``DisputeSettlementPolicy`` withholds the escrow,
  even if the order completes by the auto-confirm timer.
- Answer: staff of the shop answer within ``C2C_DISPUTE_ANSWER_DAYS``.
- Rule (operators): when answered, or when the answer window has passed.
  ``refund_full`` → ``payments.refund_order`` of all that is left;
  ``refund_partial`` → ``refund_order`` of the amount, then the rest is
  released as on completion; ``release`` → the order completes (it is
  delivered first if the parcel never got a delivery scan) and settles.
- Withdraw: the buyer gives up; a completed order then settles.

Every status change is a compare-and-swap ``UPDATE … WHERE status = old``
with a history row (actor, kind, time, reason) and an event, so two
operators ruling at once cannot both move money: the second gets a 409.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emporia.core.accounts import selectors as accounts
from emporia.core.orders import services as orders
from emporia.core.orders.models import Order
from emporia.core.orders.states import OrderStatus
from emporia.core.orders.states import status_words as order_status_words
from emporia.core.payments import services as payments
from emporia.infra.outbox.services import emit
from emporia.kernel import clock
from emporia.kernel.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from emporia.kernel.money import Money

from .. import reasons, trust_settings
from ..events.trust import DisputeOpened, DisputeStatusChanged
from ..evidence import read_evidence_image
from ..models import Dispute, DisputeEvidence, DisputeStatusChange
from ..states import disputes as states
from ..states.disputes import DisputeOutcome, DisputeReason, DisputeStatus

DISPUTABLE = frozenset(
    {
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        OrderStatus.PARTIALLY_REFUNDED,
        OrderStatus.COMPLETED,
    }
)
Party = DisputeEvidence.Party


def _transition(
    dispute: Dispute,
    new: str,
    *,
    actor,
    actor_kind: str,
    reason: str,
    **fields,
) -> Dispute:
    """The one writer of ``Dispute.status``."""
    old = dispute.status
    states.check(old, new)
    if not Dispute.objects.filter(pk=dispute.pk, status=old).update(
        status=new, **fields
    ):
        current = Dispute.objects.filter(pk=dispute.pk).values_list("status", flat=True)
        raise Conflict(
            _(
                "The dispute changed meanwhile (it is now %(status)s); nothing was changed"
            )
            % {"status": states.dispute_status_words(current.first())},
            code="stale_status",
        )
    dispute.status = new
    for key, value in fields.items():
        setattr(dispute, key, value)
    DisputeStatusChange.objects.create(
        dispute=dispute,
        from_status=old,
        to_status=new,
        actor=actor,
        actor_kind=actor_kind,
        reason=reason[:255],
        at=clock.now(),
    )
    emit(
        DisputeStatusChanged(
            dispute_id=dispute.pk,
            order_id=dispute.order_id,
            shop_id=dispute.shop_id,
            from_status=old,
            to_status=new,
            outcome=dispute.outcome,
            refund_minor=dispute.refund_minor,
            currency=dispute.currency,
        )
    )
    return dispute


def _clean_text(text: str, *, field: str = "text") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Describe what happened"), field=field)
    if len(text) > 2000:
        raise ValidationFailed(_("At most 2000 characters"), field=field)
    return text


def _add_evidence(
    dispute: Dispute, *, party: str, author, text: str, image=None
) -> DisputeEvidence:
    limit = int(trust_settings.get("C2C_EVIDENCE_PER_PARTY"))
    if DisputeEvidence.objects.filter(dispute=dispute, party=party).count() >= limit:
        raise ValidationFailed(
            _("Each side may add at most %(limit)s pieces of evidence")
            % {"limit": limit},
            field="text",
        )
    evidence = DisputeEvidence(
        dispute=dispute, party=party, author=author, text=text, at=clock.now()
    )
    if image is not None:
        data, ext = read_evidence_image(image)
        evidence.image.save(
            f"{dispute.pk}-{uuid.uuid4().hex[:12]}.{ext}", ContentFile(data), save=False
        )
    evidence.save()
    return evidence


@transaction.atomic
def open_dispute(*, order: Order, buyer, reason: str, text: str, image=None) -> Dispute:
    """The buyer contests an order before its escrow is released.

    ``reason`` is ``not_received`` or ``not_as_described``; ``text`` (1–2000
    characters) and an optional image are the first evidence. NotFound for
    someone else's order; Conflict when the order is not shipped yet, its
    money was released or refunded, or it already has a dispute;
    ValidationFailed for bad input (nothing written).
    """
    if reason not in DisputeReason.values:
        raise ValidationFailed(
            _("Choose why: not received, or not as described"), field="reason"
        )
    text = _clean_text(text)
    locked = Order.objects.select_for_update().filter(pk=order.pk).first()
    if locked is None or locked.buyer_id != buyer.pk:
        raise NotFound(_("No such order"))
    if Dispute.objects.filter(order_id=locked.pk).exists():
        raise Conflict(_("This order already has a dispute"), code="dispute_exists")
    if locked.status not in DISPUTABLE or locked.settled_at is not None:
        status = order_status_words(locked.status)
        if locked.settled_at:
            message = _(
                "Order %(number)s is %(status)s and its money was released: a "
                "dispute can be opened after shipping and before the money is "
                "released to the seller"
            )
        else:
            message = _(
                "Order %(number)s is %(status)s: a dispute can be opened after "
                "shipping and before the money is released to the seller"
            )
        raise Conflict(
            message % {"number": locked.number, "status": status},
            code="not_disputable",
        )
    if orders.escrow_held(locked).minor <= 0:
        raise Conflict(
            _("Nothing is held in escrow for this order"), code="not_disputable"
        )
    now = clock.now()
    try:
        with transaction.atomic():
            dispute = Dispute.objects.create(
                order=locked,
                shop_id=locked.shop_id,
                buyer=buyer,
                reason=reason,
                currency=locked.currency,
                answer_by=now
                + dt.timedelta(days=int(trust_settings.get("C2C_DISPUTE_ANSWER_DAYS"))),
                opened_at=now,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This order already has a dispute"), code="dispute_exists"
        ) from exc
    DisputeStatusChange.objects.create(
        dispute=dispute,
        to_status=dispute.status,
        actor=buyer,
        actor_kind="buyer",
        reason=reasons.DISPUTE_OPENED[DisputeReason(reason)].text(),
        at=now,
    )
    _add_evidence(dispute, party=Party.BUYER, author=buyer, text=text, image=image)
    emit(
        DisputeOpened(
            dispute_id=dispute.pk,
            order_id=locked.pk,
            shop_id=locked.shop_id,
            buyer_id=buyer.pk,
            reason=reason,
        )
    )
    return dispute


def _party(dispute: Dispute, user) -> str:
    if dispute.buyer_id == user.pk:
        return Party.BUYER
    if accounts.is_shop_staff(user=user, shop_id=dispute.shop_id):
        return Party.SELLER
    if user.is_operator:
        return Party.OPERATOR
    raise NotFound(_("No such dispute"))


@transaction.atomic
def answer_dispute(*, dispute: Dispute, by, text: str, image=None) -> Dispute:
    """Shop staff answer an open dispute with text and an optional image,
    before ``answer_by``. Anyone but the shop's staff gets NotFound (the
    buyer: PermissionDenied); a late or second answer is a Conflict."""
    party = _party(dispute, by)
    if party != Party.SELLER:
        raise PermissionDenied(_("Only the seller answers a dispute"))
    text = _clean_text(text)
    if dispute.status == DisputeStatus.OPEN and clock.now() > dispute.answer_by:
        raise Conflict(
            _("The time to answer this dispute has passed; the platform will rule"),
            code="answer_window_closed",
        )
    _transition(
        dispute,
        DisputeStatus.ANSWERED,
        actor=by,
        actor_kind="shop",
        reason=reasons.DISPUTE_ANSWERED.text(),
    )
    _add_evidence(dispute, party=Party.SELLER, author=by, text=text, image=image)
    return dispute


@transaction.atomic
def add_evidence(*, dispute: Dispute, by, text: str, image=None) -> DisputeEvidence:
    """Either side (or an operator) adds a statement to a dispute that is
    still open. NotFound for strangers; Conflict once it is closed."""
    party = _party(dispute, by)
    text = _clean_text(text)
    locked = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if not locked.is_open:
        raise Conflict(_("This dispute is closed"), code="dispute_closed")
    return _add_evidence(locked, party=party, author=by, text=text, image=image)


@transaction.atomic
def withdraw_dispute(*, dispute: Dispute, buyer, reason: str = "") -> Dispute:
    """The buyer drops the dispute. An order that completed meanwhile is
    settled now, as its settlement policies decide."""
    if dispute.buyer_id != buyer.pk:
        raise NotFound(_("No such dispute"))
    _transition(
        dispute,
        DisputeStatus.WITHDRAWN,
        actor=buyer,
        actor_kind="buyer",
        reason=(reason or reasons.DISPUTE_WITHDRAWN.text()).strip(),
    )
    order = Order.objects.get(pk=dispute.order_id)
    if order.status == OrderStatus.COMPLETED and order.settled_at is None:
        _settle_as_policies_say(order, actor=buyer)
    return dispute


def _settle_as_policies_say(order: Order, *, actor) -> None:
    decision = orders.decide_settlement(order)
    if decision.release:
        orders.settle_order(
            order=order, commission_rate=decision.commission_rate, actor=actor
        )


def _release(order: Order, *, operator, reason: str) -> None:
    """Finish the order and release what escrow still holds, the way a
    buyer's confirmation would (policies still decide the settlement)."""
    order = Order.objects.get(pk=order.pk)
    if order.status == OrderStatus.SHIPPED:
        orders.mark_delivered(
            order=order, actor=operator, actor_kind="operator", reason=reason
        )
    if order.status in (OrderStatus.DELIVERED, OrderStatus.PARTIALLY_REFUNDED):
        orders.complete_order(
            order=order, actor=operator, actor_kind="operator", reason=reason
        )
    elif order.status == OrderStatus.COMPLETED and order.settled_at is None:
        _settle_as_policies_say(order, actor=operator)


@transaction.atomic
def rule_dispute(
    *,
    dispute: Dispute,
    operator,
    outcome: str,
    note: str,
    refund: Money | None = None,
) -> Dispute:
    """A platform operator decides a dispute.

    ``outcome``: ``refund_full``, ``refund_partial`` (``refund`` between 0
    and what is left unrefunded, exclusive of 0) or ``release``. Allowed once
    the seller answered or the answer window passed (Conflict before).
    PermissionDenied for non-operators; ValidationFailed for a bad outcome
    or amount; a dispute ruled or withdrawn meanwhile is a Conflict. In all
    refusals nothing is changed.
    """
    if not getattr(operator, "is_operator", False):
        raise PermissionDenied(_("Only platform operators rule disputes"))
    if outcome not in DisputeOutcome.values:
        raise ValidationFailed(
            _("The ruling is a full refund, a partial refund or a release"),
            field="outcome",
        )
    note = (note or "").strip()
    if not note or len(note) > 1000:
        raise ValidationFailed(
            _("Explain the ruling to both sides (1 to 1000 characters)"),
            field="note",
        )
    # Lock first: a second operator waits here, then finds the dispute ruled.
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if not dispute.is_open:
        raise Conflict(
            _("This dispute is %(status)s already; nothing was changed")
            % {"status": states.dispute_status_words(dispute.status)},
            code="stale_status",
        )
    if dispute.status == DisputeStatus.OPEN and clock.now() <= dispute.answer_by:
        raise Conflict(
            _("The seller may still answer until %(when)s; rule after that")
            % {"when": f"{timezone.localtime(dispute.answer_by):%Y-%m-%d %H:%M}"},
            code="answer_window_open",
        )
    order = Order.objects.get(pk=dispute.order_id)
    left = order.total - payments.refunded_total(order)
    amount = Money.zero(order.currency)
    if outcome == DisputeOutcome.REFUND_FULL:
        amount = left
    elif outcome == DisputeOutcome.REFUND_PARTIAL:
        if refund is None or refund.currency != order.currency:
            raise ValidationFailed(
                _("Give the partial refund in %(currency)s")
                % {"currency": order.currency},
                field="refund",
            )
        if refund.minor <= 0 or refund > left:
            raise ValidationFailed(
                _("A partial refund is more than 0 and at most %(left)s")
                % {"left": left},
                field="refund",
            )
        amount = refund
    now = clock.now()
    _transition(
        dispute,
        DisputeStatus.RULED,
        actor=operator,
        actor_kind="operator",
        reason=reasons.DISPUTE_RULED[DisputeOutcome(outcome)].text(note=note),
        outcome=outcome,
        refund_minor=amount.minor,
        ruled_at=now,
        ruled_by=operator,
        ruling_note=note,
    )
    why = reasons.DISPUTE_SETTLED[DisputeOutcome(outcome)].text(number=dispute.pk)
    if amount.minor > 0:
        payments.refund_order(
            order=order,
            amount=amount,
            reason=why,
            key=f"c2c-dispute:{dispute.pk}",
            actor=operator,
            actor_kind="operator",
        )
    if outcome != DisputeOutcome.REFUND_FULL:
        _release(order, operator=operator, reason=why)
    return dispute
