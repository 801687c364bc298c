"""Clicks on sponsored slots: signed links, de-duplication, charging.

A served slot links to ``/ads/click/<token>``. The token is signed
(``django.core.signing``, its own salt) and carries the keyword, product,
the slot's auction price and an expiry (``ADS_CLICK_TTL_SECONDS`` after
serving, by the business clock), so the price charged is the one the
auction set and nobody can forge or alter it.

``record_click`` runs in one transaction under a lock on the shop row (as
payouts do: on PostgreSQL concurrent clicks on one shop's ads queue there;
on SQLite BEGIN IMMEDIATE already serializes writers). It writes an
``AdClick`` and charges it unless:

* ``repeat`` — the same visitor (signed-in user, else web session, else IP +
  user agent) made a counted click on the same campaign's same product in
  the last ``ADS_REPEAT_WINDOW_HOURS`` (24 h) — repeats do not extend the
  window, and they do not count towards the keyword's CTR or reports;
* ``paused`` — the keyword or campaign was paused since the slot was served;
* ``budget`` — the price does not fit in what is left of today's (local)
  budget: ``CampaignDay`` is grown by one conditional UPDATE
  ``spent + price <= budget``, so concurrent clicks never overspend;
* ``balance`` — the shop's available (payable) balance is less than the price.

A charged click posts ``Dr shop:ID:payable:CUR / Cr platform:ad_revenue:CUR``
with the key ``c2c.ads.click:<click id>``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from emporia.core.accounts.models import Shop
from emporia.core.ledger import selectors as ledger_selectors
from emporia.core.ledger import services as ledger
from emporia.core.search.extensions import Visitor
from emporia.kernel import clock
from emporia.kernel.errors import ValidationFailed
from emporia.kernel.money import Money

from .. import reasons
from ..models import AdClick, AdKeyword, AdKeywordDay, Campaign, CampaignDay
from . import config

SALT = "emporia.c2c.ads.click"


@dataclass(frozen=True)
class ClickOutcome:
    """Where to send the shopper, and whether the click was charged (and why not)."""

    product_id: int
    charged: bool
    reason: str  # "" when charged; repeat | paused | budget | balance | expired
    price: Money
    click_id: int | None


def sign(*, keyword_id: int, product_id: int, price_minor: int) -> str:
    expires = clock.now() + dt.timedelta(
        seconds=int(config.get("ADS_CLICK_TTL_SECONDS"))
    )
    return signing.dumps(
        {
            "k": keyword_id,
            "p": product_id,
            "m": price_minor,
            "x": int(expires.timestamp()),
            "n": uuid.uuid4().hex,
        },
        salt=SALT,
        compress=True,
    )


def click_url(*, keyword, product_id: int, price_minor: int) -> str:
    """The signed link of a served slot (see module); ``keyword`` is an
    ``AdKeyword`` or an ``eligible.EligibleAd`` (only its ``pk`` is used)."""
    token = sign(keyword_id=keyword.pk, product_id=product_id, price_minor=price_minor)
    return reverse("web:ad_click", args=[token])


def read_token(token: str) -> dict:
    """The token's payload; ValidationFailed when it is not one of ours."""
    try:
        payload = signing.loads(token or "", salt=SALT)
    except signing.BadSignature as exc:
        raise ValidationFailed(_("This ad link is not valid"), field="token") from exc
    if not isinstance(payload, dict) or not {"k", "p", "m", "x", "n"} <= set(payload):
        raise ValidationFailed(_("This ad link is not valid"), field="token")
    return payload


def _charge_budget(campaign: Campaign, day: dt.date, price: int) -> bool:
    CampaignDay.objects.bulk_create(
        [CampaignDay(campaign=campaign, day=day)], ignore_conflicts=True
    )
    return bool(
        CampaignDay.objects.filter(
            campaign=campaign,
            day=day,
            spent_minor__lte=campaign.daily_budget_minor - price,
        ).update(spent_minor=F("spent_minor") + price)
    )


def _count(keyword_id: int, day: dt.date, *, charged: bool, price: int) -> None:
    AdKeyword.objects.filter(pk=keyword_id).update(clicks=F("clicks") + 1)
    AdKeywordDay.objects.bulk_create(
        [AdKeywordDay(keyword_id=keyword_id, day=day)], ignore_conflicts=True
    )
    AdKeywordDay.objects.filter(keyword_id=keyword_id, day=day).update(
        clicks=F("clicks") + 1,
        charged_clicks=F("charged_clicks") + (1 if charged else 0),
        spend_minor=F("spend_minor") + (price if charged else 0),
    )


@transaction.atomic
def record_click(*, token: str, visitor: Visitor) -> ClickOutcome:
    """Record a click on a served slot and charge it if it may be (see module).

    Contract: a forged or altered token is ValidationFailed with nothing
    written; an expired one, or one whose keyword is gone, is not recorded
    (the shopper still reaches the product). Otherwise one ``AdClick`` is
    written; when charged, the keyword's and campaign's day figures grow by
    the price and one balanced ledger entry is posted, all in this
    transaction. Never charges more than the price in the token.
    """
    payload = read_token(token)
    product_id, price_minor = int(payload["p"]), int(payload["m"])
    currency = config.currency()
    price = Money(price_minor, currency)
    now = clock.now()
    if now.timestamp() > payload["x"]:
        return ClickOutcome(product_id, False, "expired", price, None)
    keyword = (
        AdKeyword.objects.select_related("campaign").filter(pk=payload["k"]).first()
    )
    if keyword is None or price_minor <= 0:
        return ClickOutcome(product_id, False, "expired", price, None)
    campaign = keyword.campaign
    Shop.objects.select_for_update().filter(pk=campaign.shop_id).first()
    day = config.today()
    window = dt.timedelta(hours=int(config.get("ADS_REPEAT_WINDOW_HOURS")))
    reason = ""
    if (
        AdClick.objects.filter(
            campaign=campaign,
            product_id=product_id,
            visitor_key=visitor.key[:300],
            created_at__gt=now - window,
        )
        .exclude(reason="repeat")
        .exists()
    ):
        reason = "repeat"
    else:
        campaign.refresh_from_db(fields=["status", "daily_budget_minor"])
        keyword.refresh_from_db(fields=["status"])
        payable = ledger.shop_account(campaign.shop_id, "payable", currency)
        if (
            keyword.status != AdKeyword.Status.ACTIVE
            or campaign.status != Campaign.Status.ACTIVE
        ):
            reason = "paused"
        elif ledger_selectors.balance(payable, currency) < price:
            reason = "balance"
        elif not _charge_budget(campaign, day, price_minor):
            reason = "budget"
    click = AdClick.objects.create(
        keyword=keyword,
        campaign=campaign,
        shop_id=campaign.shop_id,
        product_id=product_id,
        visitor_key=visitor.key[:300],
        user_id=visitor.user_id,
        nonce=str(payload["n"])[:32],
        price_minor=price_minor,
        currency=currency,
        charged=not reason,
        reason=reason,
        day=day,
        created_at=now,
    )
    if reason != "repeat":
        _count(keyword.pk, day, charged=not reason, price=price_minor)
    if not reason:
        ledger.post(
            key=f"c2c.ads.click:{click.pk}",
            kind="ad_click",
            memo=reasons.AD_CLICK.text(keyword=repr(keyword.text))[:255],
            ref=f"shop:{campaign.shop_id}",
            legs=[
                ledger.Leg.debit(payable, price),
                ledger.Leg.credit(
                    ledger.platform_account("ad_revenue", currency), price
                ),
            ],
        )
    return ClickOutcome(product_id, not reason, reason, price, click.pk)
