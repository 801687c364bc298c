"""Storefront pages for group buying (拼团): the public group page behind a
share link, starting a group, "my groups" with the share sheet and QR poster,
and the product page's group offers."""

from __future__ import annotations

import io

import qrcode
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporia.core.accounts import selectors as accounts
from emporia.kernel.errors import DomainError
from emporia.modes.social.models.shares import Channel
from emporia.modes.social.selectors import groups as selectors
from emporia.modes.social.services import groups as services
from emporia.modes.social.services import shares

from ..group_forms import GroupOrderForm
from .common import form_error, login_page, page, session_key

CHANNEL_ICONS = {"wechat": "💬", "weibo": "🌐", "qq": "🐧", "link": "🔗", "poster": "🖼"}


def product_group_context(request, product_id: int) -> dict:
    """For the product page: "start a group at ¥x (N people)" and open groups
    to join, each with a signed link (not attributed to anyone)."""
    offers = selectors.offers_for_product(product_id)
    viewer = request.user if request.user.is_authenticated else None
    return {
        "group_offers": [
            {
                "offer": o,
                "open_groups": [
                    {"group": g, "link": shares.token_for(g)}
                    for g in selectors.open_groups(
                        campaign_id=o.campaign.pk, exclude_buyer=viewer, limit=3
                    )
                ],
            }
            for o in offers
        ]
    }


def _absolute(path: str) -> str:
    return settings.EMPORIA["PUBLIC_BASE_URL"].rstrip("/") + path


def _visitor(request) -> str:
    return shares.visitor_key(
        user_id=request.user.pk if request.user.is_authenticated else None,
        session_key=session_key(request),
    )


def _pay_or_show(request, joined):
    payment = joined.payment
    if payment is not None and payment.status == "pending":
        return redirect(payment.redirect_url)
    return redirect("web:my_group", ref=joined.member.group.ref)


@page
def group_link(request, token: str):
    """The public group page a share link opens: product, price, masked
    members, seats left, live countdown; a join form for logged-in buyers and
    other open groups when this one cannot be joined."""
    group, share = shares.read_token(token)
    if request.method == "GET":
        shares.record_visit(share=share, visitor=_visitor(request))
    viewer = request.user if request.user.is_authenticated else None
    addresses = list(accounts.addresses_for(viewer)) if viewer else []
    form = GroupOrderForm(request.POST or None, addresses=addresses)
    if request.method == "POST" and viewer is not None and form.is_valid():
        data = form.cleaned_data
        try:
            joined = services.join_group(
                buyer=viewer,
                group=group,
                share=share,
                idempotency_key=data["idempotency_key"],
                quantity=data["quantity"],
                address_id=data["address_id"],
                return_url=reverse("web:my_group", args=[group.ref]),
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            return _pay_or_show(request, joined)
    view = selectors.group_view(group, viewer=viewer)
    mine = view["my_member"]
    joinable = (
        group.status == "forming" and group.seats_left > 0 and view["seconds_left"] > 0
    )
    alternatives = (
        []
        if joinable and not (mine and mine.is_active)
        else [
            {"group": g, "link": shares.token_for(g)}
            for g in selectors.open_groups(
                campaign_id=group.campaign_id,
                exclude_buyer=viewer,
                exclude_ref=group.ref,
            )
        ]
    )
    return render(
        request,
        "web/social/group.html",
        {
            **view,
            "token": token,
            "form": form,
            "addresses": addresses,
            "joinable": joinable and not (mine and mine.is_active),
            "alternatives": alternatives,
            "campaign_open": group.campaign.status == "active",
        },
        status=200 if request.method == "GET" or form.errors else 422,
    )


def group_qr(request, token: str):
    """The share link as a QR code (PNG), for posters; 404 for a bad token."""
    try:
        shares.read_token(token)
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain")
    url = _absolute(reverse("web:group_link", args=[token]))
    image = qrcode.make(url, box_size=8, border=2)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    response = HttpResponse(buf.getvalue(), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_page
def group_start(request, campaign_id: int):
    """Confirm and pay to start a new group of a campaign."""
    campaign = selectors.public_campaign(campaign_id)
    addresses = list(accounts.addresses_for(request.user))
    form = GroupOrderForm(request.POST or None, addresses=addresses)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            joined = services.start_group(
                buyer=request.user,
                campaign_id=campaign.pk,
                idempotency_key=data["idempotency_key"],
                quantity=data["quantity"],
                address_id=data["address_id"],
                return_url="/account/groups/",
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            return _pay_or_show(request, joined)
    offer = selectors.offer_for(campaign)
    return render(
        request,
        "web/social/start.html",
        {"campaign": campaign, "offer": offer, "form": form, "addresses": addresses},
    )


@login_page
def my_groups(request):
    return render(
        request,
        "web/social/my_groups.html",
        {"seats": selectors.groups_for_buyer(request.user)[:100]},
    )


@login_page
def my_group(request, ref: str):
    """A member's view of their group: live state plus the share sheet."""
    group = selectors.group_for_member(user=request.user, ref=ref)
    view = selectors.group_view(group, viewer=request.user)
    shared = None
    share_id = request.GET.get("share", "")
    if share_id.isdigit():
        s = group.shares.filter(pk=int(share_id), sharer=request.user).first()
        if s is not None:
            token = shares.token_for(group, s)
            shared = {
                "share": s,
                "token": token,
                "url": _absolute(reverse("web:group_link", args=[token])),
            }
    return render(
        request,
        "web/social/my_group.html",
        {
            **view,
            "channels": [(c, label, CHANNEL_ICONS[c]) for c, label in Channel.choices],
            "shared": shared,
        },
    )


@require_POST
@login_page
def group_share(request, ref: str):
    group = selectors.group_for_member(user=request.user, ref=ref)
    s = shares.share_group(
        group=group, sharer=request.user, channel=request.POST.get("channel", "")
    )
    messages.success(request, _("Your share link is ready."))
    return redirect(reverse("web:my_group", args=[ref]) + f"?share={s.pk}#share-sheet")
