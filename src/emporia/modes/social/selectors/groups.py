"""Group-buy reads and access checks: public group views (masked members),
open groups to join, a buyer's groups, a shop's campaigns."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from emporia.core.accounts import selectors as accounts
from emporia.kernel import clock
from emporia.kernel.errors import NotFound
from emporia.kernel.money import Money

from ..models import Group, GroupCampaign, GroupMember
from ..states import ACTIVE_MEMBER, CampaignStatus, GroupStatus, MemberStatus


def mask_name(name: str) -> str:
    """Show a member to strangers without naming them: "小红" → "小*",
    "Alice" → "A***e"."""
    name = (name or "").strip() or "?"
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * min(len(name) - 2, 3) + name[-1]


@dataclass(frozen=True)
class CampaignOffer:
    """What a product page shows: "start a group at ¥x (N people)"."""

    campaign: GroupCampaign
    group_price: Money
    solo_price: Money

    @property
    def saving(self) -> Money:
        return self.solo_price - self.group_price


def offer_for(c: GroupCampaign) -> CampaignOffer:
    return CampaignOffer(
        campaign=c,
        group_price=Money.from_decimal(c.group_price, c.currency),
        solo_price=Money.from_decimal(c.sku.price, c.currency),
    )


def offers_for_product(product_id: int) -> list[CampaignOffer]:
    """Active campaigns on the product's SKUs with units left."""
    return [
        offer_for(c)
        for c in GroupCampaign.objects.select_related("sku")
        .filter(sku__product_id=product_id, status=CampaignStatus.ACTIVE)
        .order_by("group_price", "pk")
        if c.units_left > 0
    ]


def public_campaign(campaign_id: int) -> GroupCampaign:
    c = (
        GroupCampaign.objects.select_related("sku__product", "shop")
        .filter(pk=campaign_id)
        .first()
    )
    if c is None:
        raise NotFound(_("No such group buy"))
    return c


def open_groups(
    *, campaign_id: int, exclude_buyer=None, exclude_ref: str = "", limit: int = 5
) -> list[Group]:
    """Groups of a campaign one can still join: forming, in their window, a
    seat left and the leader's payment in (no empty shells). Nearly full
    first, then the soonest to close."""
    qs = Group.objects.filter(
        campaign_id=campaign_id,
        status=GroupStatus.FORMING,
        expires_at__gt=clock.now(),
        paid_count__gte=1,
    ).exclude(ref=exclude_ref)
    if exclude_buyer is not None and exclude_buyer.is_authenticated:
        qs = qs.exclude(members__buyer=exclude_buyer, members__status__in=ACTIVE_MEMBER)
    groups = [g for g in qs.order_by("expires_at", "pk")[:50] if g.seats_left > 0]
    groups.sort(key=lambda g: (g.seats_left, g.expires_at))
    return groups[:limit]


def group_view(group: Group, *, viewer=None) -> dict:
    """The public facts of a group: product, prices, masked members, seats
    left and the deadline (the page's countdown counts down from the
    server's ``now``)."""
    c = group.campaign
    members = list(
        group.members.select_related("buyer")
        .filter(status__in=(MemberStatus.PAID, MemberStatus.REFUNDED))
        .order_by("joined_at", "pk")
    )
    viewer_id = getattr(viewer, "pk", None)
    mine = (
        group.members.filter(buyer_id=viewer_id).order_by("-pk").first()
        if viewer_id
        else None
    )
    now = clock.now()
    return {
        "group": group,
        "campaign": c,
        "product_id": c.sku.product_id,
        "product_name": c.sku.product.name(),
        "sku_label": c.sku.label(),
        "group_price": Money.from_decimal(c.group_price, c.currency),
        "solo_price": Money.from_decimal(c.sku.price, c.currency),
        "size": group.size,
        "status": group.status,
        "members": [
            {
                "name": mask_name(m.buyer.display_name),
                "initial": mask_name(m.buyer.display_name)[0],
                "leader": m.buyer_id == group.leader_id,
                "you": m.buyer_id == viewer_id,
            }
            for m in members
        ],
        "paid_count": group.paid_count,
        "seats_left": group.seats_left,
        "expires_at": group.expires_at,
        "now": now,
        "seconds_left": max(int((group.expires_at - now).total_seconds()), 0)
        if group.status == GroupStatus.FORMING
        else 0,
        "my_member": mine,
    }


def groups_for_buyer(user) -> QuerySet[GroupMember]:
    """The buyer's seats, newest first ("my groups")."""
    return (
        GroupMember.objects.filter(buyer=user)
        .select_related("group__campaign__sku__product", "order")
        .order_by("-joined_at", "-pk")
    )


def group_for_member(*, user, ref: str) -> Group:
    """A group the user has (or had) a seat in; NotFound for anyone else."""
    group = (
        Group.objects.select_related("campaign__sku__product", "campaign__shop")
        .filter(ref=ref, members__buyer=user)
        .distinct()
        .first()
    )
    if group is None:
        raise NotFound(_("No such group"))
    return group


def campaigns_for_shop(shop_id: int) -> QuerySet[GroupCampaign]:
    return (
        GroupCampaign.objects.filter(shop_id=shop_id)
        .select_related("sku__product")
        .order_by("-created_at", "-pk")
    )


def campaign_for_staff(*, user, shop_id: int, campaign_id: int) -> GroupCampaign:
    """A campaign of a shop the user works for; NotFound otherwise."""
    shop = accounts.staff_shop(user=user, shop_id=shop_id)
    c = (
        GroupCampaign.objects.select_related("sku__product", "shop")
        .filter(pk=campaign_id, shop=shop)
        .first()
    )
    if c is None:
        raise NotFound(_("No such group buy"))
    return c


def group_counts(campaign_id: int) -> dict[str, int]:
    """How many groups of a campaign are forming, filled and failed."""
    rows = Group.objects.filter(campaign_id=campaign_id).values_list("status")
    counts = {s: 0 for s in GroupStatus.values}
    for (status,) in rows:
        counts[status] += 1
    return counts


def active_members(campaign_id: int) -> QuerySet[GroupMember]:
    return GroupMember.objects.filter(
        Q(group__campaign_id=campaign_id), status__in=ACTIVE_MEMBER
    )


def shop_sku_choices(shop_id: int, language: str | None = None) -> list[tuple]:
    """(sku id, "product · option · price") for the shop's active SKUs."""
    sku_model = GroupCampaign._meta.get_field("sku").related_model
    return [
        (
            s.pk,
            f"{s.product.name(language)} · {s.label(language) or s.code} · "
            f"{s.price.normalize():f} {s.currency}",
        )
        for s in sku_model.objects.select_related("product")
        .filter(product__shop_id=shop_id, is_active=True)
        .order_by("product_id", "pk")[:500]
    ]
