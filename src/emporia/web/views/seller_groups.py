"""Seller center: group-buy campaigns (create, pause, resume, end) and each
campaign's fission report — the share funnel, K-factor and cost per
acquired buyer against the ad channel, with Chart.js charts."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporia.core.accounts import selectors as accounts
from emporia.kernel.errors import DomainError
from emporia.modes.social.selectors import fission
from emporia.modes.social.selectors import groups as selectors
from emporia.modes.social.services import groups as services

from ..group_forms import CampaignForm
from .common import form_error, language, login_page


def _render(request, template: str, shop, context: dict):
    return render(
        request,
        f"web/social/seller/{template}",
        {"shop": shop, "section": "groups", **context},
    )


@login_page
def campaigns(request, shop_id: int):
    shop = accounts.staff_shop(user=request.user, shop_id=shop_id)
    form = CampaignForm(
        request.POST or None,
        skus=selectors.shop_sku_choices(shop.pk, language(request)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            c = services.create_campaign(
                shop=shop, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The group buy is live."))
            return redirect(
                "web:seller_group_campaign", shop_id=shop.pk, campaign_id=c.pk
            )
    rows = [
        {
            "campaign": c,
            "offer": selectors.offer_for(c),
            "counts": selectors.group_counts(c.pk),
        }
        for c in selectors.campaigns_for_shop(shop.pk)[:100]
    ]
    return _render(request, "campaigns.html", shop, {"rows": rows, "form": form})


@login_page
def campaign(request, shop_id: int, campaign_id: int):
    c = selectors.campaign_for_staff(
        user=request.user, shop_id=shop_id, campaign_id=campaign_id
    )
    report = fission.campaign_report(c)
    chart = {
        "funnel_labels": [_("Shares"), _("Visits"), _("Joins"), _("Purchases")],
        "funnel": [
            report.totals.shares,
            report.totals.visits,
            report.totals.joins,
            report.totals.purchases,
        ],
        "channel_labels": [_(row.label) for row in report.channels],
        "channel_shares": [row.shares for row in report.channels],
        "channel_purchases": [row.purchases for row in report.channels],
        "cac_labels": [_("Group buying"), _("Invites (platform)"), _("Ads")],
        "cac": [
            str(report.group_cac.amount) if report.group_cac else "0",
            str(report.invites.cac.amount) if report.invites.cac else "0",
            str(report.ad_cac.amount),
        ],
    }
    return _render(
        request,
        "campaign.html",
        c.shop,
        {
            "campaign": c,
            "offer": selectors.offer_for(c),
            "report": report,
            "chart": chart,
            "history": c.history.select_related("actor").order_by("-at", "-pk")[:20],
        },
    )


@require_POST
@login_page
def campaign_status(request, shop_id: int, campaign_id: int):
    c = selectors.campaign_for_staff(
        user=request.user, shop_id=shop_id, campaign_id=campaign_id
    )
    try:
        services.set_campaign_status(
            campaign=c, status=request.POST.get("status", ""), actor=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The group buy was updated."))
    return redirect("web:seller_group_campaign", shop_id=c.shop_id, campaign_id=c.pk)
