"""Storefront pages of invite rewards (邀请有礼) and the orchard (多多果园).

Views validate, call one service or selector and render; every rule lives in
``modes.social.services``. Refusals come back as messages on the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporia.core.accounts import selectors as accounts
from emporia.kernel.errors import DomainError
from emporia.modes.social.selectors import invites as invite_selectors
from emporia.modes.social.selectors import orchard as orchard_selectors
from emporia.modes.social.services import invites as invite_services
from emporia.modes.social.services import orchard as orchard_services

from .. import attribution
from .common import language, login_page, page


def _stage_labels() -> dict:
    return {
        "seed": _("Seed"),
        "sprout": _("Sprout"),
        "sapling": _("Sapling"),
        "flowering": _("Flowering"),
        "fruiting": _("Fruiting"),
        "ripe": _("Ripe"),
    }


def _task_labels() -> dict:
    return {
        "check_in": _("Daily check-in"),
        "browse": _("Browse for 30 seconds"),
        "share": _("Share the orchard"),
        "invite": _("Invite a friend"),
        "buy": _("Buy something"),
    }


def _seen(request) -> None:
    """Remember the device a signed-in buyer uses (invite abuse checks)."""
    invite_services.record_device(
        user=request.user,
        device_id=attribution.ensure_device(request),
        ip=request.META.get("REMOTE_ADDR", ""),
    )


@page
def invite_landing(request, code: str):
    """An invite link: remember the code (first touch) and go to sign up."""
    if request.user.is_authenticated:
        return redirect("web:invites")
    attribution.remember_referral(request, invite_services.normalize_code(code))
    attribution.ensure_device(request)
    return attribution.set_device_cookie(
        request, redirect(f"{reverse('web:signup')}?next={reverse('web:orchard')}")
    )


@login_page
def invites(request):
    _seen(request)
    data = invite_selectors.invite_page(user=request.user)
    response = render(
        request,
        "web/social/invites.html",
        {"page": data, "link": request.build_absolute_uri(data.path)},
    )
    return attribution.set_device_cookie(request, response)


@require_POST
@login_page
def invite_code(request):
    try:
        invite_services.enter_invite_code(
            user=request.user, code=request.POST.get("code", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Invite code accepted."))
    return redirect("web:invites")


@login_page
def orchard(request):
    _seen(request)
    data = orchard_selectors.orchard_page(user=request.user, language=language(request))
    response = render(
        request,
        "web/social/orchard.html",
        {
            "page": data,
            "tree": data.tree,
            "browse_left": data.browse_left,
            "stage_labels": _stage_labels(),
            "task_labels": _task_labels(),
            "addresses": accounts.addresses_for(request.user),
        },
    )
    return attribution.set_device_cookie(request, response)


def _act(request, action, success: str):
    try:
        result = action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        amount = getattr(getattr(result, "grant", None), "amount", None)
        messages.success(
            request,
            success % {"water": amount} if amount is not None else success,
        )
    return redirect("web:orchard")


@require_POST
@login_page
def orchard_plant(request):
    prize_id = request.POST.get("prize_id", "")
    return _act(
        request,
        lambda: orchard_services.plant_tree(
            owner=request.user, prize_id=int(prize_id) if prize_id.isdigit() else 0
        ),
        _("Your tree is planted. Water it every day!"),
    )


@require_POST
@login_page
def orchard_check_in(request):
    return _act(
        request,
        lambda: orchard_services.check_in(owner=request.user),
        _("Checked in: +%(water)s water."),
    )


@require_POST
@login_page
def orchard_share(request):
    return _act(
        request,
        lambda: orchard_services.claim_share(owner=request.user),
        _("Thanks for sharing: +%(water)s water."),
    )


@require_POST
@login_page
def orchard_browse_start(request):
    return _act(
        request,
        lambda: orchard_services.start_browse(owner=request.user),
        _("Browse for 30 seconds, then claim your water."),
    )


@require_POST
@login_page
def orchard_browse_claim(request):
    return _act(
        request,
        lambda: orchard_services.claim_browse(
            owner=request.user, token=request.POST.get("token", "")[:64]
        ),
        _("Browsing done: +%(water)s water."),
    )


@require_POST
@login_page
def orchard_claim(request):
    tree_id = request.POST.get("tree_id", "")
    address_id = request.POST.get("address_id", "")
    try:
        order = orchard_services.claim_prize(
            owner=request.user,
            tree_id=int(tree_id) if tree_id.isdigit() else 0,
            address_id=int(address_id) if address_id.isdigit() else 0,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("web:orchard")
    messages.success(request, _("Your fruit is on its way, free of charge."))
    return redirect("web:order", order_id=order.pk)
