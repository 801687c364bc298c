"""The orchard game — 多多果园: planting, water, browsing, the prize.

Contract overview
-----------------
- ``plant_tree``: one growing tree per buyer, bearing an active prize.
- ``grant_water``: the only writer of water. It locks the buyer's tree,
  checks the task's daily cap and the daily total cap (both by the local day
  of ``kernel.clock``), and appends a ``WaterGrant`` whose ``slot`` (1..cap)
  is unique per (buyer, task, day) — so even scripts racing many claims at
  once get at most the cap. A refused grant raises Conflict and writes
  nothing. Water stops at the ripe threshold.
- ``check_in`` / ``claim_share``: tasks the buyer claims directly.
- ``start_browse`` / ``claim_browse``: the page gets a token; the claim
  succeeds only ``browse_seconds`` later by the server clock, once per token
  and once per day.
- "invite" and "buy" water come from events (a friend joins through the
  buyer's link; the buyer pays an order).
- ``claim_prize``: a ripe tree becomes a real order of its fruit through the
  normal checkout (source ``social.orchard``): the ``OrchardPrize`` adjuster
  discounts items and shipping in full, funded by ``platform:marketing``, so
  the order costs the buyer nothing and the shop is paid through normal
  settlement. A tree is claimed once; then a new one may be planted.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from emporia.core.checkout import services as checkout
from emporia.core.checkout.extensions import Adjustment, OrderDraft
from emporia.core.ledger import services as ledger
from emporia.core.orders import selectors as order_selectors
from emporia.infra.sql import CompiledQuery
from emporia.kernel import clock
from emporia.kernel.errors import Conflict, NotFound, ValidationFailed
from emporia.kernel.money import Money

from .. import growth_conf, reasons
from ..models import BrowseVisit, OrchardPrize, Tree, WaterGrant

Task = WaterGrant.Task
PRIZE_SOURCE = "social.orchard"


def local_day(moment: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(moment or clock.now()).date()


def task_name(task: str) -> str:
    """A task's name as people read it in a message (the same English as
    ``WaterGrant.Task``'s labels)."""
    names = {
        Task.CHECK_IN: _("Daily check-in"),
        Task.BROWSE: _("Browse for 30 seconds"),
        Task.SHARE: _("Share the orchard"),
        Task.INVITE: _("Invite a friend"),
        Task.BUY: _("Buy something"),
    }
    return names.get(task, task)


def ripe_water() -> int:
    return growth_conf.orchard()["stages"][-1][1]


def stage_of(water: int) -> str:
    """The stage a tree with this much water has reached."""
    current = "seed"
    for name, needed in growth_conf.orchard()["stages"]:
        if water >= needed:
            current = name
    return current


@transaction.atomic
def offer_prize(*, sku_id: int, is_active: bool = True) -> OrchardPrize:
    """Make a SKU an orchard prize (or stop offering it). Operators only —
    the API checks that."""
    prize, _created = OrchardPrize.objects.update_or_create(
        sku_id=sku_id, defaults={"is_active": is_active}
    )
    return prize


@transaction.atomic
def plant_tree(*, owner, prize_id: int) -> Tree:
    """Plant a tree bearing an active prize. Conflict if one is growing."""
    prize = OrchardPrize.objects.filter(pk=prize_id, is_active=True).first()
    if prize is None:
        raise NotFound(_("There is no such fruit to grow"), field="prize_id")
    if Tree.objects.filter(owner=owner, status=Tree.Status.GROWING).exists():
        raise Conflict(_("You already have a tree growing"), code="tree_growing")
    try:
        with transaction.atomic():
            return Tree.objects.create(owner=owner, prize=prize, planted_at=clock.now())
    except IntegrityError as exc:
        raise Conflict(
            _("You already have a tree growing"), code="tree_growing"
        ) from exc


@dataclass(frozen=True)
class Watered:
    grant: WaterGrant
    tree: Tree


@transaction.atomic
def grant_water(
    *,
    owner_id: int,
    task: str,
    ref: str = "",
    quiet: bool = False,
    earned_at: dt.datetime | None = None,
) -> Watered | None:
    """Give the buyer's growing tree the water of one ``task``.

    Raises Conflict (nothing written) when the buyer has no growing tree, the
    tree is ripe, the task's daily cap or the daily total is reached, or the
    task was done (``earned_at``) before the tree was planted. With
    ``quiet=True`` (grants from events) those refusals return None instead.
    """
    conf = growth_conf.orchard()
    if task not in conf["tasks"]:
        raise ValidationFailed(
            _("Unknown orchard task %(task)s") % {"task": repr(task)}, field="task"
        )
    amount, per_day = conf["tasks"][task]
    try:
        tree = (
            Tree.objects.select_for_update()
            .filter(owner_id=owner_id, status=Tree.Status.GROWING)
            .first()
        )
        if tree is None:
            raise Conflict(_("Plant a tree first"), code="no_tree")
        if earned_at is not None and earned_at < tree.planted_at:
            raise Conflict(
                _("That was done before this tree was planted"),
                code="before_planting",
            )
        ripe = ripe_water()
        if tree.water >= ripe:
            raise Conflict(_("Your tree is ripe: claim its fruit"), code="tree_ripe")
        # A grant counts on the day it was earned, even if its event is
        # delivered later (a relay catching up after an outage).
        today = local_day(earned_at)
        done_today = WaterGrant.objects.filter(owner_id=owner_id, day=today)
        used = done_today.filter(task=task).count()
        if used >= per_day:
            raise Conflict(
                _("%(task)s: done for today (%(n)s×)")
                % {"task": task_name(task), "n": per_day},
                code="task_done",
            )
        total = done_today.aggregate(s=Sum("amount"))["s"] or 0
        room = min(conf["daily_water_cap"] - total, ripe - tree.water)
        if room <= 0:
            raise Conflict(
                _("Your tree has had all the water it can take today"),
                code="daily_cap",
            )
        given = min(amount, room)
        try:
            with transaction.atomic():
                grant = WaterGrant.objects.create(
                    tree=tree,
                    owner_id=owner_id,
                    task=task,
                    amount=given,
                    day=today,
                    slot=used + 1,
                    ref=ref[:64],
                    granted_at=clock.now(),
                )
        except IntegrityError as exc:
            raise Conflict(
                _("%(task)s: done for today") % {"task": task_name(task)},
                code="task_done",
            ) from exc
        Tree.objects.filter(pk=tree.pk).update(water=tree.water + given)
        tree.water += given
        return Watered(grant, tree)
    except Conflict:
        if quiet:
            return None
        raise


def check_in(*, owner) -> Watered:
    """The daily check-in (签到): once per day."""
    return grant_water(owner_id=owner.pk, task=Task.CHECK_IN)


def claim_share(*, owner, channel: str = "link") -> Watered:
    """The buyer shared the orchard (the share sheet reports it)."""
    return grant_water(owner_id=owner.pk, task=Task.SHARE, ref=f"share:{channel}"[:64])


@transaction.atomic
def start_browse(*, owner) -> BrowseVisit:
    """Start the browse task: a token the page holds while the buyer browses.
    Conflict when there is no tree or today's browse water was given."""
    if not Tree.objects.filter(owner=owner, status=Tree.Status.GROWING).exists():
        raise Conflict(_("Plant a tree first"), code="no_tree")
    today = local_day()
    if WaterGrant.objects.filter(owner=owner, task=Task.BROWSE, day=today).exists():
        raise Conflict(
            _("%(task)s: done for today") % {"task": task_name(Task.BROWSE)},
            code="task_done",
        )
    return BrowseVisit.objects.create(
        token=secrets.token_urlsafe(24),
        owner=owner,
        day=today,
        started_at=clock.now(),
    )


@transaction.atomic
def claim_browse(*, owner, token: str) -> Watered:
    """Claim the browse water with the token from ``start_browse``.

    Refused (Conflict, nothing written) before ``browse_seconds`` have passed
    on the server clock — the buyer may try again — and for a token already
    claimed; NotFound for another buyer's or an unknown token.
    """
    seconds = growth_conf.orchard()["browse_seconds"]
    visit = (
        BrowseVisit.objects.select_for_update()
        .filter(token=token or "", owner=owner)
        .first()
    )
    if visit is None:
        raise NotFound(_("No such browse task"))
    if visit.claimed_at is not None:
        raise Conflict(_("This browse task was already claimed"), code="task_done")
    elapsed = (clock.now() - visit.started_at).total_seconds()
    if elapsed < seconds:
        raise Conflict(
            _("Keep browsing: %(n)s s to go") % {"n": int(seconds - elapsed + 0.999)},
            code="too_early",
            seconds_left=int(seconds - elapsed + 0.999),
        )
    won = BrowseVisit.objects.filter(pk=visit.pk, claimed_at=None).update(
        claimed_at=clock.now()
    )
    if not won:
        raise Conflict(_("This browse task was already claimed"), code="task_done")
    return grant_water(owner_id=owner.pk, task=Task.BROWSE, ref=f"browse:{visit.pk}")


_GROWING_TREE = CompiledQuery(
    lambda owner_id: Tree.objects.filter(
        owner_id=owner_id, status=Tree.Status.GROWING
    ).values_list("pk", flat=True)[:1],
    owner_id=int,
)


def water_for_order(*, buyer_id: int, order_id: int, source: str) -> Watered | None:
    """React to a paid order: "buy" water (prize orders don't count). Every
    paid order asks, and most buyers grow no tree: one compiled read says so
    before anything else runs."""
    if source == PRIZE_SOURCE or _GROWING_TREE.first(owner_id=buyer_id) is None:
        return None
    return grant_water(
        owner_id=buyer_id,
        task=Task.BUY,
        ref=f"order:{order_id}",
        quiet=True,
        earned_at=order_selectors.paid_at(order_id=order_id),
    )


@transaction.atomic
def claim_prize(*, owner, tree_id: int, address_id: int):
    """Turn a ripe tree into a free order of its fruit; returns the order.

    NotFound for another buyer's tree; Conflict when it isn't ripe or was
    claimed; OutOfStock when the fruit has run out (the tree stays ripe).
    """
    tree = (
        Tree.objects.select_for_update()
        .select_related("prize")
        .filter(pk=tree_id, owner=owner)
        .first()
    )
    if tree is None:
        raise NotFound(_("No such tree"))
    if tree.status != Tree.Status.GROWING:
        raise Conflict(_("This tree's fruit was already claimed"), code="claimed")
    if tree.water < ripe_water():
        raise Conflict(_("The fruit is not ripe yet"), code="not_ripe")
    placed = checkout.place_order(
        buyer=owner,
        idempotency_key=f"orchard-tree-{tree.pk}",
        lines=[checkout.WantedLine(tree.prize.sku_id, 1)],
        address_id=address_id,
        source=PRIZE_SOURCE,
        source_ref=f"tree:{tree.pk}",
        clear_cart=False,
        note="Orchard prize / 果园奖品",
    )
    order = placed.checkout.orders.get()
    if order.total_minor != 0:
        raise Conflict(_("The prize could not be made free; nothing was ordered"))
    now = clock.now()
    Tree.objects.filter(pk=tree.pk).update(
        status=Tree.Status.CLAIMED, claimed_at=now, prize_order=order
    )
    tree.status, tree.claimed_at, tree.prize_order = Tree.Status.CLAIMED, now, order
    return order


class OrchardPrizeAdjuster:
    """``checkout.order_adjusters``: a prize order (source ``social.orchard``)
    for a ripe, unclaimed tree of this buyer bearing exactly this fruit gets
    its items and shipping discounted in full, funded by the platform's
    marketing account. Registered late so it sees the shipping."""

    def adjust(self, draft: OrderDraft) -> list[Adjustment]:
        if draft.source != PRIZE_SOURCE or not draft.source_ref.startswith("tree:"):
            return []
        tree_id = draft.source_ref.removeprefix("tree:")
        tree = (
            Tree.objects.select_related("prize")
            .filter(
                pk=int(tree_id) if tree_id.isdigit() else 0,
                owner_id=draft.buyer_id,
                status=Tree.Status.GROWING,
                water__gte=ripe_water(),
            )
            .first()
        )
        if (
            tree is None
            or len(draft.lines) != 1
            or draft.lines[0].sku_id != tree.prize.sku_id
            or draft.lines[0].quantity != 1
        ):
            return []
        shipping = sum(
            (a.amount.minor for a in draft.adjustments if a.kind == "shipping"), 0
        )
        amount = Money(draft.items.minor + shipping, draft.currency)
        return [
            Adjustment(
                "discount",
                amount,
                reasons.ORCHARD_PRIZE.text(),
                funded_by=ledger.platform_account("marketing", draft.currency),
            )
        ]
