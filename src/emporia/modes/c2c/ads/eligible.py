"""The eligible keyword map: every active keyword of an active campaign of
an active shop, with what the auction needs (bid, match, CTR history, the
campaign's budget, dates, hours, shop and products), indexed by lead word.

Serving used to read this from four tables on every search. It changes only
when a seller edits a campaign or a keyword, so each server process keeps it
in memory and rebuilds it when

- the ad services changed something: they write a new random token to
  ``AdServingVersion`` in the same transaction (:func:`changed`), and every
  search reads the token (one primary-key query) and compares; or
- it is older than ``ADS_MAP_TTL_SECONDS`` (default 10 s), which bounds how
  stale the keywords' click and impression totals (the CTR history) and the
  shops' status can be.

What moves with every order or click stays live, per search: today's spend
and the shops' balances (one query each), and the showable check (listed, in
stock, shop active — the core's, one query). The click re-checks status,
budget and balance anyway.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from dataclasses import dataclass

from django.db import transaction

from emporia.core.accounts.models import Shop
from emporia.kernel import clock

from ..models import AdKeyword, AdServingVersion, Campaign, CampaignProduct
from . import config

_VERSION_PK = 1


@dataclass(frozen=True)
class EligibleAd:
    """One keyword that may run, with its campaign's facts. ``pk`` is the
    keyword's id (what click links carry)."""

    pk: int
    text: str
    tokens: frozenset[str]
    match: str
    bid_minor: int
    clicks: int
    impressions: int
    campaign_id: int
    shop_id: int
    daily_budget_minor: int
    start_date: dt.date
    end_date: dt.date | None
    hour_from: int
    hour_to: int
    product_ids: tuple[int, ...]

    def runs_at(self, moment: dt.datetime) -> bool:
        """Within the campaign's dates and local hours at ``moment`` (local)."""
        day = moment.date()
        return (
            self.start_date <= day
            and (self.end_date is None or day <= self.end_date)
            and self.hour_from <= moment.hour < self.hour_to
        )


@dataclass(frozen=True)
class EligibleMap:
    token: str
    currency: str
    built_at: float  # time.monotonic()
    by_lead: dict[str, tuple[EligibleAd, ...]]


_lock = threading.Lock()
_current: EligibleMap | None = None


def ttl_seconds() -> float:
    return float(config.get("ADS_MAP_TTL_SECONDS"))


def current_token() -> str:
    """The version token now ("" before the first change)."""
    return (
        AdServingVersion.objects.filter(pk=_VERSION_PK)
        .values_list("token", flat=True)
        .first()
        or ""
    )


def changed() -> None:
    """Call inside every write that changes what may be served (campaigns,
    keywords, their status, products, schedule, budget, bids): a new token
    for every process, and this process forgets its map once the change
    commits."""
    token = uuid.uuid4().hex
    updated = AdServingVersion.objects.filter(pk=_VERSION_PK).update(
        token=token, changed_at=clock.now()
    )
    if not updated:
        AdServingVersion.objects.bulk_create(
            [AdServingVersion(pk=_VERSION_PK, token=token)], ignore_conflicts=True
        )
        AdServingVersion.objects.filter(pk=_VERSION_PK).update(token=token)
    transaction.on_commit(forget)


def forget() -> None:
    """Drop this process's map (tests start clean; the services after a
    change)."""
    global _current
    with _lock:
        _current = None


def _build(token: str, currency: str) -> EligibleMap:
    keywords = list(
        AdKeyword.objects.filter(
            status=AdKeyword.Status.ACTIVE,
            campaign__status=Campaign.Status.ACTIVE,
            campaign__currency=currency,
            campaign__shop__status=Shop.Status.ACTIVE,
        )
        .select_related("campaign")
        .order_by("pk")
    )
    products: dict[int, list[int]] = {}
    for campaign_id, product_id in (
        CampaignProduct.objects.filter(
            campaign_id__in={k.campaign_id for k in keywords}
        )
        .order_by("pk")
        .values_list("campaign_id", "product_id")
    ):
        products.setdefault(campaign_id, []).append(product_id)
    by_lead: dict[str, list[EligibleAd]] = {}
    for k in keywords:
        c = k.campaign
        by_lead.setdefault(k.lead, []).append(
            EligibleAd(
                pk=k.pk,
                text=k.text,
                tokens=frozenset(k.tokens.split()),
                match=k.match,
                bid_minor=k.bid_minor,
                clicks=k.clicks,
                impressions=k.impressions,
                campaign_id=c.pk,
                shop_id=c.shop_id,
                daily_budget_minor=c.daily_budget_minor,
                start_date=c.start_date,
                end_date=c.end_date,
                hour_from=c.hour_from,
                hour_to=c.hour_to,
                product_ids=tuple(products.get(c.pk, ())),
            )
        )
    return EligibleMap(
        token=token,
        currency=currency,
        built_at=time.monotonic(),
        by_lead={lead: tuple(ads) for lead, ads in by_lead.items()},
    )


def eligible_map() -> EligibleMap:
    """The current map: this process's copy while its token is current and
    it is younger than the TTL, else rebuilt (two queries). One query (the
    token) when the copy is good."""
    global _current
    token = current_token()
    currency = config.currency()
    held = _current
    if (
        held is not None
        and held.token == token
        and held.currency == currency
        and time.monotonic() - held.built_at < ttl_seconds()
    ):
        return held
    fresh = _build(token, currency)
    with _lock:
        _current = fresh
    return fresh
