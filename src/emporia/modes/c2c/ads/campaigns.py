"""Campaign and keyword writes for shop staff.

Every service takes the acting user ``by`` and reaches the campaign only
through a shop ``by`` works for (``accounts.selectors.staff_shop``): anyone
else gets NotFound, so they cannot learn that it exists. Every change is
logged in ``AdChange`` (who, when, what, why). Bad input is a
ValidationFailed with nothing written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from emporia.core.accounts import selectors as accounts
from emporia.core.catalog.models import Product
from emporia.core.search import text
from emporia.kernel import clock
from emporia.kernel.errors import Conflict, NotFound, ValidationFailed
from emporia.kernel.money import Money

from ..models import AdChange, AdKeyword, Campaign, CampaignProduct
from . import config, eligible

MAX_BUDGET_MINOR = 10**9
MAX_PRODUCTS = 50
MAX_KEYWORDS = 200
MAX_KEYWORD_TOKENS = 6


def campaign_for(*, user, campaign_id: int) -> Campaign:
    """The campaign if ``user`` works for its shop (operators see all); else NotFound."""
    campaign = Campaign.objects.select_related("shop").filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound(_("No such campaign"))
    accounts.staff_shop(user=user, shop_id=campaign.shop_id)
    return campaign


def keyword_for(*, user, keyword_id: int) -> AdKeyword:
    """The keyword if ``user`` works for its campaign's shop; else NotFound."""
    keyword = AdKeyword.objects.filter(pk=keyword_id).first()
    if keyword is None:
        raise NotFound(_("No such keyword"))
    keyword.campaign = campaign_for(user=user, campaign_id=keyword.campaign_id)
    return keyword


def _check_money(value, *, field: str, least: int, most: int) -> Money:
    if not isinstance(value, Money):
        not_money = {
            "bid": _("The bid must be money"),
            "daily_budget": _("The daily budget must be money"),
        }
        raise ValidationFailed(not_money[field], field=field)
    if value.currency != config.currency():
        raise ValidationFailed(
            _("Ads are paid in %(currency)s") % {"currency": config.currency()},
            field=field,
            currency=value.currency,
        )
    if not least <= value.minor <= most:
        out_of_range = {
            "bid": _("The bid must be between %(least)s and %(most)s"),
            "daily_budget": _(
                "The daily budget must be between %(least)s and %(most)s"
            ),
        }
        raise ValidationFailed(
            out_of_range[field]
            % {
                "least": Money(least, value.currency),
                "most": Money(most, value.currency),
            },
            field=field,
        )
    return value


def check_bid(bid) -> Money:
    """A bid is money in the ads currency from the reserve (0.10) to the max."""
    return _check_money(
        bid,
        field="bid",
        least=config.reserve_minor(),
        most=int(config.get("ADS_MAX_BID_MINOR")),
    )


def _check_schedule(start_date, end_date, hour_from: int, hour_to: int) -> None:
    if not isinstance(start_date, dt.date):
        raise ValidationFailed(_("A start date is required"), field="start_date")
    if end_date is not None and (
        not isinstance(end_date, dt.date) or end_date < start_date
    ):
        raise ValidationFailed(
            _("The end date cannot be before the start date"), field="end_date"
        )
    for name, value in (("hour_from", hour_from), ("hour_to", hour_to)):
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 <= value <= 24
        ):
            raise ValidationFailed(
                _("Hours are whole numbers from 0 to 24"), field=name
            )
    if hour_from >= hour_to:
        raise ValidationFailed(
            _("The hours must end after they start"), field="hour_to"
        )


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not 1 <= len(name) <= 80:
        raise ValidationFailed(
            _("A name of 1 to 80 characters is required"), field="name"
        )
    return name


def _check_products(shop_id: int, product_ids: Iterable[int]) -> list[int]:
    ids = list(dict.fromkeys(int(p) for p in product_ids))
    if not 1 <= len(ids) <= MAX_PRODUCTS:
        raise ValidationFailed(
            _("Choose 1 to %(max)s products") % {"max": MAX_PRODUCTS},
            field="product_ids",
        )
    own = set(
        Product.objects.filter(pk__in=ids, shop_id=shop_id).values_list("pk", flat=True)
    )
    strangers = [p for p in ids if p not in own]
    if strangers:
        raise ValidationFailed(
            _("Only your shop's products can be advertised"),
            field="product_ids",
            products=strangers,
        )
    return ids


def _log(campaign: Campaign, by, action: str, detail: str = "", keyword=None) -> None:
    """Record who changed what; every change may change what search serves,
    so the eligible keyword map is renewed too."""
    eligible.changed()
    AdChange.objects.create(
        campaign=campaign,
        keyword=keyword,
        actor=by,
        action=action,
        detail=detail[:200],
        at=clock.now(),
    )


@transaction.atomic
def create_campaign(
    *,
    shop_id: int,
    by,
    name: str,
    daily_budget: Money,
    start_date: dt.date,
    product_ids: Iterable[int],
    end_date: dt.date | None = None,
    hour_from: int = 0,
    hour_to: int = 24,
) -> Campaign:
    """Open an active campaign for products of a shop ``by`` works for.

    Contract: a name of 1–80 characters; a daily budget in the ads currency
    of at least the reserve price; an end date not before the start; hours
    0 ≤ from < to ≤ 24 (local); 1–50 of the shop's own products.
    """
    shop = accounts.staff_shop(user=by, shop_id=shop_id)
    name = _check_name(name)
    _check_money(
        daily_budget,
        field="daily_budget",
        least=config.reserve_minor(),
        most=MAX_BUDGET_MINOR,
    )
    _check_schedule(start_date, end_date, hour_from, hour_to)
    ids = _check_products(shop.pk, product_ids)
    now = clock.now()
    campaign = Campaign.objects.create(
        shop=shop,
        name=name,
        currency=daily_budget.currency,
        daily_budget_minor=daily_budget.minor,
        start_date=start_date,
        end_date=end_date,
        hour_from=hour_from,
        hour_to=hour_to,
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    CampaignProduct.objects.bulk_create(
        CampaignProduct(campaign=campaign, product_id=p) for p in ids
    )
    _log(campaign, by, "created", f"budget {daily_budget}")
    return campaign


@transaction.atomic
def update_campaign(
    *,
    campaign_id: int,
    by,
    name: str,
    daily_budget: Money,
    start_date: dt.date,
    end_date: dt.date | None = None,
    hour_from: int = 0,
    hour_to: int = 24,
    product_ids: Iterable[int] | None = None,
) -> Campaign:
    """Change a campaign's name, budget, schedule and (when given) products,
    with the same rules as ``create_campaign``. A lower budget applies to
    today's remaining spend at once."""
    campaign = campaign_for(user=by, campaign_id=campaign_id)
    name = _check_name(name)
    _check_money(
        daily_budget,
        field="daily_budget",
        least=config.reserve_minor(),
        most=MAX_BUDGET_MINOR,
    )
    _check_schedule(start_date, end_date, hour_from, hour_to)
    ids = (
        None if product_ids is None else _check_products(campaign.shop_id, product_ids)
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        name=name,
        daily_budget_minor=daily_budget.minor,
        start_date=start_date,
        end_date=end_date,
        hour_from=hour_from,
        hour_to=hour_to,
        updated_at=clock.now(),
    )
    if ids is not None:
        CampaignProduct.objects.filter(campaign=campaign).exclude(
            product_id__in=ids
        ).delete()
        CampaignProduct.objects.bulk_create(
            [CampaignProduct(campaign=campaign, product_id=p) for p in ids],
            ignore_conflicts=True,
        )
    _log(campaign, by, "updated", f"budget {daily_budget}")
    campaign.refresh_from_db()
    return campaign


@transaction.atomic
def set_campaign_status(
    *, campaign_id: int, by, status: str, reason: str = ""
) -> Campaign:
    """Pause or resume a campaign (``status`` "paused" or "active"). Setting
    the status it already has is a Conflict; the change is logged with the
    reason."""
    campaign = campaign_for(user=by, campaign_id=campaign_id)
    if status not in Campaign.Status.values:
        raise ValidationFailed(_("The status is active or paused"), field="status")
    changed = (
        Campaign.objects.filter(pk=campaign.pk)
        .exclude(status=status)
        .update(status=status, updated_at=clock.now())
    )
    if not changed:
        already = {
            Campaign.Status.ACTIVE: _("The campaign is already active"),
            Campaign.Status.PAUSED: _("The campaign is already paused"),
        }
        raise Conflict(already[status], code="invalid_transition")
    _log(campaign, by, status, reason)
    campaign.refresh_from_db()
    return campaign


def keyword_tokens(text_: str) -> list[str]:
    """A keyword's words as search sees them, sorted (the matching form)."""
    return sorted(text.query_tokens(text_))


@transaction.atomic
def add_keyword(
    *, campaign_id: int, by, text: str, bid: Money, match: str = "broad"
) -> AdKeyword:
    """Bid ``bid`` a click on ``text`` (matched ``exact`` or ``broad``).

    Contract: the text has 1–6 words as search segments it (Chinese is
    segmented with jieba); the bid is in the ads currency, from the reserve
    price (0.10 CNY) to ``ADS_MAX_BID_MINOR``; the same words and match type
    once per campaign (Conflict); at most 200 keywords a campaign.
    """
    campaign = campaign_for(user=by, campaign_id=campaign_id)
    if match not in AdKeyword.Match.values:
        raise ValidationFailed(_("The match type is exact or broad"), field="match")
    check_bid(bid)
    shown = (text or "").strip()[:60]
    tokens = keyword_tokens(shown)
    if not 1 <= len(tokens) <= MAX_KEYWORD_TOKENS:
        raise ValidationFailed(
            _("A keyword is 1 to %(max)s words") % {"max": MAX_KEYWORD_TOKENS},
            field="text",
        )
    if AdKeyword.objects.filter(campaign=campaign).count() >= MAX_KEYWORDS:
        raise ValidationFailed(
            _("A campaign has at most %(max)s keywords") % {"max": MAX_KEYWORDS},
            field="text",
        )
    try:
        with transaction.atomic():
            keyword = AdKeyword.objects.create(
                campaign=campaign,
                text=shown,
                tokens=" ".join(tokens),
                lead=tokens[0],
                match=match,
                bid_minor=bid.minor,
                created_at=clock.now(),
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This keyword is already in the campaign"), code="duplicate_keyword"
        ) from exc
    _log(campaign, by, "keyword_added", f"{shown} {match} {bid}", keyword)
    return keyword


@transaction.atomic
def set_keyword(
    *, keyword_id: int, by, bid: Money | None = None, status: str | None = None
) -> AdKeyword:
    """Change a keyword's bid and/or pause or resume it; logged."""
    keyword = keyword_for(user=by, keyword_id=keyword_id)
    changes = {}
    if bid is not None:
        changes["bid_minor"] = check_bid(bid).minor
    if status is not None:
        if status not in AdKeyword.Status.values:
            raise ValidationFailed(_("The status is active or paused"), field="status")
        changes["status"] = status
    if not changes:
        raise ValidationFailed(_("Nothing to change"), field="bid")
    AdKeyword.objects.filter(pk=keyword.pk).update(**changes)
    detail = ", ".join(f"{k}={v}" for k, v in changes.items())
    _log(keyword.campaign, by, "keyword_changed", detail, keyword)
    keyword.refresh_from_db()
    return keyword
