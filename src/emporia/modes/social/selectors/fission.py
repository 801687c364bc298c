"""Fission analytics (裂变): the share → visit → join → purchase funnel of a
campaign, its viral coefficient K and what a buyer acquired through groups
costs against the ad channel. Definitions (docs/modes/groups.md):

- shares S — share-button presses (GroupShare rows) by the campaign's members;
- visits — first visits per (share, visitor); joins — seats taken through a
  share link; purchases — those seats paid;
- buyers B — distinct buyers who paid for a seat in the campaign;
- invites per buyer i = S / B; invite conversion c = A / S, where A is the
  distinct buyers whose paid seat came through someone else's share;
- K = i × c = A / B (each buyer brings K more; above 1 a campaign grows by
  itself);
- group CAC = discount given in filled groups, Σ (solo − group) × quantity,
  divided by the buyers acquired through shares in filled groups; the ad
  CAC comes from ``EMPORIA["SOCIAL_AD_CAC"]`` when no ad spend is measured;
- invite CAC = invite rewards paid ÷ invitees rewarded, over the last
  ``EMPORIA["SOCIAL_INVITE_CAC_DAYS"]`` (30) local days. Invite rewards are
  platform credit paid from the platform's marketing budget for invites
  anywhere on the platform, so this figure is **platform-wide**, not the
  shop's: the report labels it so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from emporia.kernel import clock
from emporia.kernel.money import Money

from ..models import GroupCampaign, GroupMember, GroupShare, ShareVisit
from ..models.shares import Channel
from ..states import GroupStatus
from .groups import group_counts
from .invites import invite_stats


@dataclass
class ChannelRow:
    channel: str
    label: str
    shares: int = 0
    visits: int = 0
    joins: int = 0
    purchases: int = 0


@dataclass(frozen=True)
class InviteChannel:
    """The invite channel over a period, platform-wide: invitees bound,
    rewards paid (each one a buyer acquired through an invite) and what they
    cost the platform's marketing budget."""

    start: dt.date
    end: dt.date
    invites: int
    rewarded: int
    cost: Money

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def cac(self) -> Money | None:
        if not self.rewarded:
            return None
        return Money(self.cost.minor // self.rewarded, self.cost.currency)


def invite_channel(*, currency: str, days: int | None = None) -> InviteChannel:
    """Invite rewards paid ÷ invitees rewarded over the last ``days`` local
    days up to today (``EMPORIA["SOCIAL_INVITE_CAC_DAYS"]``, 30), from
    ``invites.invite_stats``. Platform-wide: rewards are platform money."""
    days = days or int(settings.EMPORIA.get("SOCIAL_INVITE_CAC_DAYS", 30))
    end = timezone.localtime(clock.now()).date()
    start = end - dt.timedelta(days=days - 1)
    rows = invite_stats(start=start, end=end, currency=currency)
    return InviteChannel(
        start=start,
        end=end,
        invites=sum(r.invites for r in rows),
        rewarded=sum(r.rewarded for r in rows),
        cost=Money(sum(r.cost.minor for r in rows), currency),
    )


@dataclass
class FissionReport:
    campaign: GroupCampaign
    channels: list[ChannelRow]
    buyers: int
    acquired: int
    groups: dict[str, int]
    discount_given: Money
    acquired_in_filled: int
    ad_cac: Money
    ad_cac_source: str
    invites: InviteChannel
    totals: ChannelRow = field(init=False)

    def __post_init__(self):
        t = ChannelRow("all", "All")
        for row in self.channels:
            t.shares += row.shares
            t.visits += row.visits
            t.joins += row.joins
            t.purchases += row.purchases
        self.totals = t

    @property
    def invites_per_buyer(self) -> Decimal | None:
        return _ratio(self.totals.shares, self.buyers)

    @property
    def invite_conversion(self) -> Decimal | None:
        return _ratio(self.acquired, self.totals.shares)

    @property
    def k_factor(self) -> Decimal | None:
        return _ratio(self.acquired, self.buyers)

    @property
    def group_cac(self) -> Money | None:
        if not self.acquired_in_filled:
            return None
        return Money(
            self.discount_given.minor // self.acquired_in_filled,
            self.discount_given.currency,
        )

    @property
    def fill_rate(self) -> Decimal | None:
        closed = self.groups[GroupStatus.FILLED] + self.groups[GroupStatus.FAILED]
        return _ratio(self.groups[GroupStatus.FILLED], closed)


def _ratio(a: int, b: int) -> Decimal | None:
    if not b:
        return None
    return (Decimal(a) / Decimal(b)).quantize(Decimal("0.01"))


def ad_cac(currency: str) -> tuple[Money, str]:
    """The ad channel's cost per acquired buyer: measured spend when there is
    some (none is recorded yet), else the operator's setting."""
    value = settings.EMPORIA.get("SOCIAL_AD_CAC", "40.00")
    return Money.from_decimal(Decimal(str(value)), currency), "setting"


def campaign_report(campaign: GroupCampaign) -> FissionReport:
    """The funnel, K and CAC of one campaign in a constant number of queries,
    with the platform-wide invite channel beside the ad channel."""
    rows = {c: ChannelRow(c, label) for c, label in Channel.choices}
    for channel, n in (
        GroupShare.objects.filter(campaign=campaign)
        .values_list("channel")
        .annotate(n=Count("id"))
    ):
        rows[channel].shares = n
    for channel, n in (
        ShareVisit.objects.filter(share__campaign=campaign)
        .values_list("share__channel")
        .annotate(n=Count("id"))
    ):
        rows[channel].visits = n
    members = GroupMember.objects.filter(group__campaign=campaign)
    for channel, n in (
        members.filter(share__isnull=False)
        .values_list("share__channel")
        .annotate(n=Count("id"))
    ):
        rows[channel].joins = n
    for channel, n in (
        members.filter(share__isnull=False, paid_at__isnull=False)
        .values_list("share__channel")
        .annotate(n=Count("id"))
    ):
        rows[channel].purchases = n
    paid = members.filter(paid_at__isnull=False)
    buyers = paid.values("buyer_id").distinct().count()
    acquired = paid.filter(share__isnull=False).values("buyer_id").distinct().count()
    filled = paid.filter(group__status=GroupStatus.FILLED)
    acquired_in_filled = (
        filled.filter(share__isnull=False).values("buyer_id").distinct().count()
    )
    discount = Money.zero(campaign.currency)
    for quantity, reasons in filled.values_list(
        "quantity", "order__lines__price_reasons"
    ):
        solo = next(
            (
                Decimal(r["unit_price"])
                for r in reasons or []
                if r["code"] == "list_price"
            ),
            None,
        )
        if solo is not None and solo > campaign.group_price:
            discount += Money.from_decimal(
                (solo - campaign.group_price) * quantity, campaign.currency
            )
    cac, source = ad_cac(campaign.currency)
    return FissionReport(
        campaign=campaign,
        channels=list(rows.values()),
        buyers=buyers,
        acquired=acquired,
        groups=group_counts(campaign.pk),
        discount_given=discount,
        acquired_in_filled=acquired_in_filled,
        ad_cac=cac,
        ad_cac_source=source,
        invites=invite_channel(currency=campaign.currency),
    )
