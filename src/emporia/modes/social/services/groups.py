"""Group-buy writes: campaigns, starting and joining groups, and the one
reconciler that fills or fails a group.

Design overview
---------------
**Where the seat is taken.** A seat is claimed when the buyer's order is
placed, in the same transaction, by one conditional
``UPDATE group SET seats_taken = seats_taken + 1 WHERE seats_taken < size AND
status = 'forming' AND expires_at > now``; a check constraint backs it. So a
group never has more than ``size`` pending-or-paid members, and nobody can
pay for a seat that does not exist: the (N+1)-th buyer is refused before any
money moves and is offered another open group or a new one. A seat whose
order is never paid is given back when the core cancels that order (payment
deadline) — the ``orders.order_cancelled`` handler calls :func:`sync_group`.

**Lock order.** Every writer takes campaign → group → orders → stock, never
the reverse: joins raise the campaign's ``units_claimed`` first (which also
serialises the per-buyer limit check), :func:`sync_group` locks the campaign
row first. Payment callbacks lock only orders and stock.

**One reconciler.** :func:`sync_group` looks at the facts the core owns (each
member's order: paid when, cancelled, refunded) under the group's lock and
decides: all ``size`` seats paid by ``expires_at`` → filled, every order
released from hold together; window over → failed, every paid order
cancelled and refunded in full (``payments.cancel_and_refund``: ledger
reversal out of escrow, units back on hand), every unpaid one cancelled. It
is idempotent and does not depend on the order events arrive in, so the
``order_paid`` / ``order_cancelled`` handlers and the expiry job all call it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from emporia.core.checkout import services as checkout
from emporia.core.orders import services as orders
from emporia.core.orders.states import OrderStatus
from emporia.core.payments import services as payments
from emporia.infra.outbox.services import emit
from emporia.kernel import clock
from emporia.kernel.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)

from .. import group_events, reasons, states
from ..models import CampaignChange, Group, GroupCampaign, GroupChange, GroupMember
from ..states import ACTIVE_MEMBER, CampaignStatus, GroupStatus, MemberStatus

SOURCE = "social.group"
HOLD_REASON = reasons.FORMING.text()
MAX_TEAM = 50
MAX_WINDOW_MINUTES = 7 * 24 * 60
MAX_STOCK_CAP = 1_000_000
# The FK targets, without importing another app's models module.
Sku = GroupCampaign._meta.get_field("sku").related_model


@dataclass(frozen=True)
class Joined:
    """What a start or a join did: the seat, the payment to make and whether
    this was a replay of an earlier request with the same Idempotency-Key."""

    member: GroupMember
    payment: object | None
    replayed: bool = False


class _Replayed(Exception):
    """place_order saw this key already: undo our seat, return the first one."""


# --- campaigns ---------------------------------------------------------------------


def _decimal(value, field: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(_("Enter a price such as 19.90"), field=field) from exc
    if not d.is_finite():
        raise ValidationFailed(_("Enter a price such as 19.90"), field=field)
    return d


def _range_message(field: str) -> str:
    """The refusal of an out-of-range campaign number, one whole sentence per
    field (placeholders ``lo`` and ``hi``)."""
    if field == "team_size":
        return _("A team must be from %(lo)s to %(hi)s")
    if field == "window_minutes":
        return _("The window must be from %(lo)s to %(hi)s")
    if field == "stock_cap":
        return _("The stock cap must be from %(lo)s to %(hi)s")
    return _("The limit must be from %(lo)s to %(hi)s")


def _int_in(value, lo: int, hi: int, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise ValidationFailed(
            _range_message(field) % {"lo": lo, "hi": f"{hi:,}"}, field=field
        )
    return value


@transaction.atomic
def create_campaign(
    *,
    shop,
    actor,
    sku_id: int,
    group_price,
    team_size: int,
    window_minutes: int,
    stock_cap: int,
    per_buyer_limit: int,
    title: str = "",
) -> GroupCampaign:
    """Offer one of the shop's SKUs at a group price for teams of
    ``team_size``. The group price must be positive and below the SKU's solo
    price, in its currency. Raises NotFound for a SKU of another shop,
    ValidationFailed for out-of-range numbers; nothing is written then."""
    sku = (
        Sku.objects.select_related("product")
        .filter(pk=sku_id, product__shop_id=shop.pk)
        .first()
    )
    if sku is None:
        raise NotFound(_("Your shop has no such SKU"), field="sku_id")
    price = _decimal(group_price, "group_price")
    if price <= 0 or price >= sku.price:
        raise ValidationFailed(
            _("The group price must be above 0 and below the solo price %(price)s")
            % {"price": f"{sku.price.normalize():f}"},
            field="group_price",
        )
    if price.as_tuple().exponent < -4:
        raise ValidationFailed(
            _("A price has at most 4 decimal places"), field="group_price"
        )
    team_size = _int_in(team_size, 2, MAX_TEAM, "team_size")
    window_minutes = _int_in(window_minutes, 10, MAX_WINDOW_MINUTES, "window_minutes")
    stock_cap = _int_in(stock_cap, 1, MAX_STOCK_CAP, "stock_cap")
    per_buyer_limit = _int_in(
        per_buyer_limit, 1, min(stock_cap, 999), "per_buyer_limit"
    )
    campaign = GroupCampaign.objects.create(
        shop=shop,
        sku=sku,
        title=(title or "").strip()[:120],
        group_price=price,
        currency=sku.currency,
        team_size=team_size,
        window_minutes=window_minutes,
        stock_cap=stock_cap,
        per_buyer_limit=per_buyer_limit,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    CampaignChange.objects.create(
        campaign=campaign,
        from_status="",
        to_status=campaign.status,
        actor=campaign.created_by,
        reason=reasons.CAMPAIGN_CREATED.text(),
    )
    return campaign


@transaction.atomic
def set_campaign_status(
    *, campaign: GroupCampaign, status: str, actor, reason: str = ""
) -> GroupCampaign:
    """Pause, resume or end a campaign (compare-and-swap plus a history row).

    A paused campaign starts no new groups but lets open groups fill; an
    ended one takes no more members. Groups still forming fill or fail on
    their own clock either way."""
    old = campaign.status
    states.check_campaign(old, status)
    if not GroupCampaign.objects.filter(pk=campaign.pk, status=old).update(
        status=status
    ):
        raise InvalidTransition(
            _("The campaign changed meanwhile; nothing was changed")
        )
    campaign.status = status
    CampaignChange.objects.create(
        campaign=campaign,
        from_status=old,
        to_status=status,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=(reason or reasons.CAMPAIGN_STATUS[status].text())[:255],
    )
    return campaign


# --- starting and joining ----------------------------------------------------------


def new_group_ref() -> str:
    return "g" + secrets.token_urlsafe(12)


def _check_key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > 90:
        raise ValidationFailed(
            _("Send an Idempotency-Key header of 1 to 90 characters")
        )
    return key


def _replay_of(buyer, key: str) -> GroupMember | None:
    return (
        GroupMember.objects.select_related("group__campaign", "order")
        .filter(buyer=buyer, idempotency_key=key)
        .first()
    )


def start_group(
    *,
    buyer,
    campaign_id: int,
    idempotency_key: str,
    quantity: int = 1,
    address_id: int | None = None,
    address: dict | None = None,
    return_url: str = "/account/groups/",
) -> Joined:
    """Start a new group of a campaign: the buyer takes its first seat and
    places an order at the group price, held as "group forming" once paid.

    Idempotent per (buyer, key). Raises NotFound (no such campaign), Conflict
    (campaign paused/ended/sold out, per-buyer limit), ValidationFailed;
    a refusal leaves no group, seat, order or payment behind."""
    return _enter(
        buyer=buyer,
        campaign_id=campaign_id,
        group_ref=None,
        key=idempotency_key,
        quantity=quantity,
        address_id=address_id,
        address=address,
        share=None,
        return_url=return_url,
    )


def join_group(
    *,
    buyer,
    group: Group,
    idempotency_key: str,
    quantity: int = 1,
    address_id: int | None = None,
    address: dict | None = None,
    share=None,
    return_url: str = "/account/groups/",
) -> Joined:
    """Take a seat in a forming group and place its order (see start_group).

    ``share`` is the link the buyer came through (attribution; ignored when
    it is the buyer's own). Raises Conflict ``group_full`` / ``group_closed``
    when no seat is left or the group has closed, ``already_joined`` when the
    buyer holds a seat already; nothing is written then."""
    return _enter(
        buyer=buyer,
        campaign_id=group.campaign_id,
        group_ref=group.ref,
        key=idempotency_key,
        quantity=quantity,
        address_id=address_id,
        address=address,
        share=share,
        return_url=return_url,
    )


def _enter(*, buyer, key: str, **kwargs) -> Joined:
    key = _check_key(key)
    first = _replay_of(buyer, key)
    if first is not None:
        return _replayed(first, kwargs)
    try:
        return _take_seat_and_order(buyer=buyer, key=key, **kwargs)
    except (_Replayed, IntegrityError) as exc:
        # A concurrent request with the same key won, or the unique seat
        # constraint refused a second seat in the same group; all undone.
        first = _replay_of(buyer, key)
        if first is not None:
            return _replayed(first, kwargs)
        if isinstance(exc, IntegrityError):
            raise Conflict(
                _("You are already in this group"), code="already_joined"
            ) from exc
        raise Conflict(
            _("This Idempotency-Key was already used for a different request"),
            code="idempotency_key_reused",
        ) from exc


def _replayed(member: GroupMember, kwargs: dict) -> Joined:
    if kwargs["group_ref"] not in (None, member.group.ref) or (
        member.group.campaign_id != kwargs["campaign_id"]
    ):
        raise Conflict(
            _("This Idempotency-Key was already used for a different request"),
            code="idempotency_key_reused",
        )
    payment = member.order.payments.order_by("-pk").first()
    return Joined(member=member, payment=payment, replayed=True)


def _claim_units(campaign: GroupCampaign, quantity: int, *, starting: bool) -> None:
    allowed = [CampaignStatus.ACTIVE] + ([] if starting else [CampaignStatus.PAUSED])
    claimed = GroupCampaign.objects.filter(
        pk=campaign.pk,
        status__in=allowed,
        units_claimed__lte=F("stock_cap") - quantity,
    ).update(units_claimed=F("units_claimed") + quantity)
    if claimed:
        return
    campaign.refresh_from_db()
    if campaign.status not in allowed:
        raise Conflict(
            _("This group buy is not taking new groups now")
            if campaign.status == CampaignStatus.PAUSED
            else _("This group buy has ended"),
            code="campaign_closed",
        )
    raise Conflict(
        _("Only %(n)s left at the group price") % {"n": campaign.units_left},
        code="campaign_sold_out",
        available=campaign.units_left,
    )


def _check_buyer_limit(campaign: GroupCampaign, buyer, quantity: int) -> None:
    held = (
        GroupMember.objects.filter(
            group__campaign=campaign, buyer=buyer, status__in=ACTIVE_MEMBER
        ).aggregate(n=Sum("quantity"))["n"]
        or 0
    )
    if held + quantity > campaign.per_buyer_limit:
        raise Conflict(
            _("At most %(limit)s per buyer in this group buy (you have %(held)s)")
            % {"limit": campaign.per_buyer_limit, "held": held},
            code="per_buyer_limit",
            limit=campaign.per_buyer_limit,
            held=held,
        )


def _open_group(campaign: GroupCampaign, buyer, now: dt.datetime) -> Group:
    group = Group.objects.create(
        campaign=campaign,
        ref=new_group_ref(),
        leader=buyer,
        size=campaign.team_size,
        seats_taken=1,
        opened_at=now,
        expires_at=now + dt.timedelta(minutes=campaign.window_minutes),
    )
    GroupChange.objects.create(
        group=group,
        from_status="",
        to_status=group.status,
        actor=buyer,
        actor_kind="buyer",
        reason=reasons.GROUP_STARTED.text(),
        at=now,
    )
    emit(
        group_events.GroupStarted(
            group_id=group.pk,
            campaign_id=campaign.pk,
            shop_id=campaign.shop_id,
            leader_id=buyer.pk,
            size=group.size,
            expires_at=group.expires_at.isoformat(),
        )
    )
    return group


def _seat_in(group_ref: str, campaign: GroupCampaign, buyer, now) -> Group:
    group = Group.objects.filter(ref=group_ref, campaign=campaign).first()
    if group is None:
        raise NotFound(_("No such group"))
    if GroupMember.objects.filter(
        group=group, buyer=buyer, status__in=ACTIVE_MEMBER
    ).exists():
        raise Conflict(_("You are already in this group"), code="already_joined")
    took = Group.objects.filter(
        pk=group.pk,
        status=GroupStatus.FORMING,
        seats_taken__lt=F("size"),
        expires_at__gt=now,
    ).update(seats_taken=F("seats_taken") + 1)
    if not took:
        group.refresh_from_db()
        if group.status == GroupStatus.FORMING and group.expires_at > now:
            raise Conflict(
                _("This group is full: join another group or start your own"),
                code="group_full",
                campaign_id=campaign.pk,
            )
        raise Conflict(
            _("This group has closed: join another group or start your own"),
            code="group_closed",
            campaign_id=campaign.pk,
        )
    group.seats_taken += 1
    return group


@transaction.atomic
def _take_seat_and_order(
    *,
    buyer,
    key: str,
    campaign_id: int,
    group_ref: str | None,
    quantity: int,
    address_id,
    address,
    share,
    return_url: str,
) -> Joined:
    now = clock.now()
    campaign = GroupCampaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound(_("No such group buy"))
    if not isinstance(quantity, int) or not 1 <= quantity <= campaign.per_buyer_limit:
        raise ValidationFailed(
            _("Quantity must be from 1 to %(max)s") % {"max": campaign.per_buyer_limit},
            field="quantity",
        )
    _claim_units(campaign, quantity, starting=group_ref is None)
    _check_buyer_limit(campaign, buyer, quantity)
    if group_ref is None:
        group = _open_group(campaign, buyer, now)
    else:
        group = _seat_in(group_ref, campaign, buyer, now)
    placed = checkout.place_order(
        buyer=buyer,
        idempotency_key=f"group:{key}",
        lines=[checkout.WantedLine(campaign.sku_id, quantity)],
        address_id=address_id,
        address=address,
        source=SOURCE,
        source_ref=group.ref,
        clear_cart=False,
        return_url=return_url,
    )
    if placed.replayed:
        raise _Replayed
    (order,) = placed.orders
    member = GroupMember.objects.create(
        group=group,
        buyer=buyer,
        order=order,
        quantity=quantity,
        share=share
        if share is not None
        and share.group_id == group.pk
        and share.sharer_id != buyer.pk
        else None,
        idempotency_key=key,
        joined_at=now,
    )
    return Joined(member=member, payment=placed.checkout.payment)


# --- filling and failing -----------------------------------------------------------


def _set_group_status(
    group: Group, new: str, *, reason: str, actor=None, actor_kind: str = "system"
) -> None:
    """The one writer of ``Group.status``: check, compare-and-swap, history."""
    old = group.status
    states.check(old, new)
    now = clock.now()
    if not Group.objects.filter(pk=group.pk, status=old).update(
        status=new, closed_at=now
    ):
        raise InvalidTransition(_("The group changed meanwhile"))
    group.status, group.closed_at = new, now
    GroupChange.objects.create(
        group=group,
        from_status=old,
        to_status=new,
        actor=actor,
        actor_kind=actor_kind,
        reason=reason[:255],
        at=now,
    )


ENDED_UNPAID = (OrderStatus.CANCELLED,)
ENDED_PAID = (OrderStatus.CANCELLED, OrderStatus.REFUNDED)


@transaction.atomic
def sync_group(*, group_id: int) -> Group | None:
    """Bring a group in line with its members' orders; fill or fail it when due.

    Under the campaign's and the group's row locks: a member whose order was
    paid becomes paid; one whose order ended (unpaid cancelled, or refunded)
    gives the seat and the units back. Then: ``size`` members paid by
    ``expires_at`` → filled and every order released from hold; the window
    over → failed, paid orders cancelled and refunded in full, unpaid ones
    cancelled. Safe to call any number of times, from any handler or job."""
    campaign_id = (
        Group.objects.filter(pk=group_id).values_list("campaign_id", flat=True).first()
    )
    if campaign_id is None:
        return None
    campaign = GroupCampaign.objects.select_for_update().get(pk=campaign_id)
    group = Group.objects.select_for_update().get(pk=group_id)
    if group.status != GroupStatus.FORMING:
        return group
    members = list(
        group.members.select_related("order")
        .filter(status__in=ACTIVE_MEMBER)
        .order_by("pk")
    )
    now = clock.now()
    freed_seats = freed_units = 0
    for m in members:
        o = m.order
        if o.status in ENDED_PAID:
            m.status = MemberStatus.REFUNDED if o.paid_at else MemberStatus.LAPSED
            m.left_at = now
            freed_seats += 1
            freed_units += m.quantity
        elif o.paid_at is not None and m.status == MemberStatus.PENDING:
            m.status, m.paid_at = MemberStatus.PAID, o.paid_at
        else:
            continue
        GroupMember.objects.filter(pk=m.pk).update(
            status=m.status, paid_at=m.paid_at, left_at=m.left_at
        )
    active = [m for m in members if m.status in ACTIVE_MEMBER]
    paid = [m for m in active if m.status == MemberStatus.PAID]
    group.seats_taken -= freed_seats
    group.paid_count = len(paid)
    Group.objects.filter(pk=group.pk).update(
        seats_taken=group.seats_taken, paid_count=group.paid_count
    )
    if freed_units:
        _release_units(campaign, freed_units)
    in_time = [m for m in paid if m.paid_at <= group.expires_at]
    if len(in_time) == group.size:
        _fill(group, campaign, paid)
    elif now >= group.expires_at:
        _fail(group, campaign, active)
    return group


def _release_units(campaign: GroupCampaign, units: int) -> None:
    GroupCampaign.objects.filter(pk=campaign.pk).update(
        units_claimed=F("units_claimed") - units
    )


def _fill(group: Group, campaign: GroupCampaign, paid: list[GroupMember]) -> None:
    _set_group_status(
        group,
        GroupStatus.FILLED,
        reason=reasons.GROUP_FILLED.text(size=group.size),
    )
    for m in paid:
        if m.order.status == OrderStatus.ON_HOLD:
            orders.release_hold(order=m.order, reason=reasons.ORDER_RELEASED.text())
    emit(
        group_events.GroupFilled(
            group_id=group.pk,
            campaign_id=campaign.pk,
            shop_id=campaign.shop_id,
            order_ids=[m.order_id for m in paid],
        )
    )


def _fail(group: Group, campaign: GroupCampaign, active: list[GroupMember]) -> None:
    why = reasons.ORDER_REFUNDED.text()
    _set_group_status(
        group,
        GroupStatus.FAILED,
        reason=reasons.GROUP_FAILED.text(paid=group.paid_count, size=group.size),
    )
    refunded, cancelled, units = [], [], 0
    for m in active:
        order = m.order
        if order.paid_at is None:
            try:
                orders.cancel_unpaid_order(order=order, reason=why)
            except (InvalidTransition, Conflict):
                # Paid a moment ago: the payment won the race; refund it.
                order.refresh_from_db()
        if order.paid_at is not None:
            payments.cancel_and_refund(order=order, reason=why)
            m.status = MemberStatus.REFUNDED
            refunded.append(order.pk)
        else:
            m.status = MemberStatus.LAPSED
            cancelled.append(order.pk)
        GroupMember.objects.filter(pk=m.pk).update(status=m.status, left_at=clock.now())
        units += m.quantity
    if units:
        _release_units(campaign, units)
    emit(
        group_events.GroupFailed(
            group_id=group.pk,
            campaign_id=campaign.pk,
            shop_id=campaign.shop_id,
            refunded_order_ids=refunded,
            cancelled_order_ids=cancelled,
        )
    )


def sync_group_of_order(*, source: str, source_ref: str) -> Group | None:
    """The handler's entry: sync the group an order belongs to, if any."""
    if source != SOURCE or not source_ref:
        return None
    group_id = Group.objects.filter(ref=source_ref).values_list("pk", flat=True).first()
    return sync_group(group_id=group_id) if group_id else None


def sync_group_of_order_id(*, order_id: int) -> Group | None:
    """Sync the group of a member's order (events that carry only the id)."""
    group_id = (
        GroupMember.objects.filter(order_id=order_id)
        .values_list("group_id", flat=True)
        .first()
    )
    return sync_group(group_id=group_id) if group_id else None


def close_due_groups(*, limit: int = 200) -> int:
    """Fail (or, when all paid in time, fill) forming groups whose window has
    passed; returns how many were closed. Each group is its own transaction,
    so one refusal cannot block the rest; safe to run twice at once."""
    due = list(
        Group.objects.filter(status=GroupStatus.FORMING, expires_at__lte=clock.now())
        .order_by("expires_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    closed = 0
    for group_id in due:
        group = sync_group(group_id=group_id)
        if group is not None and group.status != GroupStatus.FORMING:
            closed += 1
    return closed


# --- the seat hold -----------------------------------------------------------------


def seat_hold_minutes() -> int:
    """How long an unpaid seat blocks its group
    (``EMPORIA["SOCIAL_GROUP_SEAT_HOLD_MINUTES"]``, 10 by default) — shorter
    than the core's payment deadline, so a buyer who walks away from the
    payment page frees the seat for someone else soon."""
    return int(settings.EMPORIA.get("SOCIAL_GROUP_SEAT_HOLD_MINUTES", 10))


def release_unpaid_seats(*, limit: int = 200) -> int:
    """Cancel the unpaid orders of seats held longer than ``seat_hold_minutes``
    in forming groups (the core's ``orders.cancel_unpaid_order``: stock and
    any funding go back) and give each seat back at once (``sync_group``).
    A seat paid meanwhile is kept: the payment won the compare-and-swap.
    Each seat is its own transaction; returns how many seats were freed."""
    minutes = seat_hold_minutes()
    cutoff = clock.now() - dt.timedelta(minutes=minutes)
    due = list(
        GroupMember.objects.filter(
            status=MemberStatus.PENDING,
            joined_at__lte=cutoff,
            group__status=GroupStatus.FORMING,
            order__status=OrderStatus.AWAITING_PAYMENT,
            order__paid_at__isnull=True,
        )
        .order_by("joined_at", "pk")
        .values_list("pk", "order_id", "group_id")[:limit]
    )
    freed = 0
    for _member_id, order_id, group_id in due:
        if _release_seat(order_id=order_id, group_id=group_id, minutes=minutes):
            freed += 1
    return freed


@transaction.atomic
def _release_seat(*, order_id: int, group_id: int, minutes: int) -> bool:
    order = GroupMember.objects.select_related("order").get(order_id=order_id).order
    try:
        orders.cancel_unpaid_order(
            order=order, reason=reasons.SEAT_NOT_PAID.text(minutes=minutes)
        )
    except (InvalidTransition, Conflict):
        return False  # paid (or cancelled) meanwhile
    sync_group(group_id=group_id)
    return True
