"""C2C keyword ads on the web: the click redirect (storefront) and the
seller center's campaigns, keywords and reports.

Seller pages reach a campaign only through ``ads.campaigns.campaign_for``
and check it belongs to the shop in the URL: another shop's campaign is a
404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporia.core.accounts import selectors as accounts
from emporia.core.catalog import selectors as catalog
from emporia.kernel.errors import DomainError, NotFound
from emporia.kernel.money import Money
from emporia.modes.c2c.ads import campaigns, clicks, config, reports

from .. import c2c_ads_forms as f
from .. import reasons
from .common import form_error, language, login_page, page, visitor_of


@page
def click(request, token: str):
    """Count (and maybe charge) a click on a sponsored slot, then show the product."""
    outcome = clicks.record_click(token=token, visitor=visitor_of(request))
    return redirect("web:product", product_id=outcome.product_id)


def _money(amount) -> Money:
    return Money.from_decimal(amount, config.currency())


def _products(request, shop) -> list[tuple[int, str]]:
    page_ = catalog.shop_products(
        user=request.user, shop_id=shop.pk, page_size=100, language=language(request)
    )
    return [(p["id"], p["name"]) for p in page_.items]


def _render(request, template, shop, context, status=200):
    return render(
        request,
        f"web/seller/{template}",
        {"shop": shop, "section": "ads", **context},
        status=status,
    )


def _campaign(request, shop_id: int, campaign_id: int):
    shop = accounts.staff_shop(user=request.user, shop_id=shop_id)
    campaign = campaigns.campaign_for(user=request.user, campaign_id=campaign_id)
    if campaign.shop_id != shop.pk:
        raise NotFound("No such campaign")
    return shop, campaign


@login_page
def campaign_list(request, shop_id: int):
    shop = accounts.staff_shop(user=request.user, shop_id=shop_id)
    form = f.CampaignForm(
        request.POST or None,
        products=_products(request, shop),
        initial={"start_date": config.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaigns.create_campaign(
                shop_id=shop.pk,
                by=request.user,
                name=data["name"],
                daily_budget=_money(data["daily_budget"]),
                start_date=data["start_date"],
                end_date=data["end_date"],
                hour_from=data["hour_from"],
                hour_to=data["hour_to"],
                product_ids=data["product_ids"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The campaign is running."))
            return redirect("web:seller_ad", shop_id=shop.pk, campaign_id=campaign.pk)
    return _render(
        request,
        "ads.html",
        shop,
        {"rows": reports.campaigns_for_shop(shop.pk), "form": form},
        status=422 if form.errors else 200,
    )


@login_page
def campaign_detail(request, shop_id: int, campaign_id: int):
    shop, campaign = _campaign(request, shop_id, campaign_id)
    form = f.KeywordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaigns.add_keyword(
                campaign_id=campaign.pk,
                by=request.user,
                text=data["text"],
                bid=_money(data["bid"]),
                match=data["match"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Keyword added."))
            return redirect("web:seller_ad", shop_id=shop.pk, campaign_id=campaign.pk)
    end = config.today()
    rows = reports.keyword_report(
        campaign=campaign, start=end - dt.timedelta(days=29), end=end
    )
    days = reports.daily_series(campaign=campaign, days=14)
    return _render(
        request,
        "ad_campaign.html",
        shop,
        {
            "campaign": campaign,
            "budget": Money(campaign.daily_budget_minor, campaign.currency),
            "rows": rows,
            "form": form,
            "chart": {
                "labels": [d["day"].isoformat() for d in days],
                "impressions": [d["impressions"] for d in days],
                "clicks": [d["clicks"] for d in days],
                "spend": [
                    str(Money(d["spend_minor"], campaign.currency).amount) for d in days
                ],
                "kw_labels": [r.keyword.text for r in rows],
                "kw_spend": [str(r.spend.amount) for r in rows],
                "kw_sales": [str(r.sales.amount) for r in rows],
            },
        },
        status=422 if form.errors else 200,
    )


@require_POST
@login_page
def campaign_status(request, shop_id: int, campaign_id: int):
    shop, campaign = _campaign(request, shop_id, campaign_id)
    status = "paused" if campaign.status == "active" else "active"
    campaigns.set_campaign_status(
        campaign_id=campaign.pk,
        by=request.user,
        status=status,
        reason=reasons.FROM_SELLER_CENTER.text(),
    )
    messages.success(
        request, _("Campaign paused.") if status == "paused" else _("Campaign resumed.")
    )
    return redirect("web:seller_ad", shop_id=shop.pk, campaign_id=campaign.pk)


@require_POST
@login_page
def keyword_change(request, shop_id: int, campaign_id: int, keyword_id: int):
    shop, campaign = _campaign(request, shop_id, campaign_id)
    keyword = campaigns.keyword_for(user=request.user, keyword_id=keyword_id)
    if keyword.campaign_id != campaign.pk:
        raise NotFound("No such keyword")
    if "toggle" in request.POST:
        status = "paused" if keyword.status == "active" else "active"
        campaigns.set_keyword(keyword_id=keyword.pk, by=request.user, status=status)
    else:
        form = f.BidForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter a bid of at least 0.10."))
        else:
            try:
                campaigns.set_keyword(
                    keyword_id=keyword.pk,
                    by=request.user,
                    bid=_money(form.cleaned_data["bid"]),
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Bid changed."))
    return redirect("web:seller_ad", shop_id=shop.pk, campaign_id=campaign.pk)
