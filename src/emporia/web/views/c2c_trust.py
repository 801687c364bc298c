"""C2C trust pages: open an individual shop, extend the escrow release,
disputes for buyers, sellers and operators, doorstep pickup for returns."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporia.core.accounts import selectors as accounts
from emporia.core.orders import selectors as orders
from emporia.core.orders import services as order_services
from emporia.kernel.errors import DomainError, NotFound, ValidationFailed
from emporia.kernel.money import Money
from emporia.modes.c2c.selectors import disputes as dispute_selectors
from emporia.modes.c2c.selectors import pickup as pickup_selectors
from emporia.modes.c2c.services import disputes, escrow, pickup, shops
from emporia.modes.c2c.states.disputes import DisputeOutcome, DisputeStatus

from .. import c2c_trust_forms as f
from .common import form_error, login_page
from .ops import operator_page


def _dispute_context(dispute, user) -> dict:
    return {
        "dispute": dispute,
        "held": order_services.escrow_held(dispute.order),
        "evidence": list(dispute.evidence.all()),
        "history": list(dispute.history.all()),
        "is_buyer": dispute.buyer_id == user.pk,
    }


# --- shops -------------------------------------------------------------------


@login_page
def open_individual_shop(request):
    form = f.IndividualShopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shop = shops.open_individual_shop(owner=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Your shop is open."))
            return redirect("web:seller_dashboard", shop_id=shop.pk)
    return render(
        request,
        "web/c2c/open_shop.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


# --- buyer: escrow and disputes ----------------------------------------------


@require_POST
@login_page
def order_extend(request, order_id: int):
    order = orders.order_for_buyer(user=request.user, order_id=order_id)
    extension = escrow.extend_release(order=order, buyer=request.user)
    messages.success(
        request,
        _("The automatic confirmation now happens on %(when)s.")
        % {
            "when": date_format(
                timezone.localtime(extension.new_release_at), "Y-m-d H:i"
            )
        },
    )
    return redirect("web:order", order_id=order.pk)


@login_page
def dispute_open(request, order_id: int):
    order = orders.order_for_buyer(user=request.user, order_id=order_id)
    existing = dispute_selectors.dispute_for_order(order.pk)
    if existing is not None:
        return redirect("web:c2c_dispute", dispute_id=existing.pk)
    form = f.OpenDisputeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dispute = disputes.open_dispute(
                order=order,
                buyer=request.user,
                reason=data["reason"],
                text=data["text"],
                image=data.get("image"),
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Your dispute is open; the seller can answer."))
            return redirect("web:c2c_dispute", dispute_id=dispute.pk)
    return render(
        request,
        "web/c2c/dispute_open.html",
        {"order": order, "form": form},
        status=422 if form.errors else 200,
    )


def _evidence_post(request, dispute, form):
    """Add evidence from ``form``; True when it was added."""
    if not form.is_valid():
        return False
    try:
        disputes.add_evidence(
            dispute=dispute,
            by=request.user,
            text=form.cleaned_data["text"],
            image=form.cleaned_data.get("image"),
        )
    except DomainError as exc:
        form_error(form, exc)
        return False
    messages.success(request, _("Your statement was added."))
    return True


@login_page
def dispute_detail(request, dispute_id: int):
    """The buyer's view of a dispute (sellers and operators have their own)."""
    dispute = dispute_selectors.dispute_for_user(
        user=request.user, dispute_id=dispute_id
    )
    if dispute.buyer_id != request.user.pk:
        raise NotFound("No such dispute")
    form = f.EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and _evidence_post(request, dispute, form):
        return redirect(request.path)
    return render(
        request,
        "web/c2c/dispute.html",
        {**_dispute_context(dispute, request.user), "form": form},
        status=422 if form.errors else 200,
    )


@require_POST
@login_page
def dispute_withdraw(request, dispute_id: int):
    dispute = dispute_selectors.dispute_for_user(
        user=request.user, dispute_id=dispute_id
    )
    disputes.withdraw_dispute(dispute=dispute, buyer=request.user)
    messages.success(request, _("You withdrew the dispute."))
    return redirect("web:order", order_id=dispute.order_id)


@login_page
def evidence_image(request, evidence_id: int):
    """An evidence photo, for the dispute's parties and operators only."""
    evidence = dispute_selectors.evidence_for_user(
        user=request.user, evidence_id=evidence_id
    )
    if not evidence.image:
        raise NotFound("No such image")
    response = FileResponse(evidence.image.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- seller center -----------------------------------------------------------


def _seller_render(request, template, shop, context, status=200):
    return render(
        request,
        f"web/c2c/{template}",
        {"shop": shop, "section": "disputes", **context},
        status=status,
    )


@login_page
def seller_disputes(request, shop_id: int):
    shop = accounts.staff_shop(user=request.user, shop_id=shop_id)
    rows = dispute_selectors.disputes_for_shop(user=request.user, shop_id=shop.pk)
    return _seller_render(request, "seller_disputes.html", shop, {"disputes": rows})


@login_page
def seller_dispute(request, shop_id: int, dispute_id: int):
    shop = accounts.staff_shop(user=request.user, shop_id=shop_id)
    dispute = dispute_selectors.dispute_for_user(
        user=request.user, dispute_id=dispute_id
    )
    if dispute.shop_id != shop.pk:
        raise NotFound("No such dispute")
    form = f.EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if dispute.status == DisputeStatus.OPEN:
                disputes.answer_dispute(
                    dispute=dispute,
                    by=request.user,
                    text=data["text"],
                    image=data.get("image"),
                )
            else:
                disputes.add_evidence(
                    dispute=dispute,
                    by=request.user,
                    text=data["text"],
                    image=data.get("image"),
                )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Your answer was sent."))
            return redirect(request.path)
    return _seller_render(
        request,
        "seller_dispute.html",
        shop,
        {**_dispute_context(dispute, request.user), "form": form},
        status=422 if form.errors else 200,
    )


# --- operations console ------------------------------------------------------


@operator_page
def ops_disputes(request):
    status = request.GET.get("status")
    status = status if status in DisputeStatus.values else None
    return render(
        request,
        "web/c2c/ops_disputes.html",
        {
            "disputes": dispute_selectors.dispute_queue(status=status)[:200],
            "status": status,
            "statuses": DisputeStatus.choices,
        },
    )


@operator_page
def ops_dispute(request, dispute_id: int):
    dispute = dispute_selectors.dispute_for_user(
        user=request.user, dispute_id=dispute_id
    )
    form = f.RulingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        refund = None
        try:
            if data["outcome"] == DisputeOutcome.REFUND_PARTIAL:
                if data.get("refund") is None:
                    raise ValidationFailed(
                        _("Give the partial refund amount"), field="refund"
                    )
                refund = Money.from_decimal(data["refund"], dispute.currency)
            disputes.rule_dispute(
                dispute=dispute,
                operator=request.user,
                outcome=data["outcome"],
                note=data["note"],
                refund=refund,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The dispute is ruled."))
            return redirect(request.path)
    return render(
        request,
        "web/c2c/ops_dispute.html",
        {**_dispute_context(dispute, request.user), "form": form},
        status=422 if form.errors else 200,
    )


# --- doorstep pickup ---------------------------------------------------------


def _window_label(w) -> str:
    start, end = timezone.localtime(w.starts_at), timezone.localtime(w.ends_at)
    left = _("full") if w.left == 0 else _("%(n)s left") % {"n": w.left}
    return f"{date_format(start, 'Y-m-d D')} {start:%H:%M}–{end:%H:%M} ({left})"


@login_page
def return_pickup(request, return_id: int):
    ret = pickup_selectors.return_for_buyer(user=request.user, return_id=return_id)
    windows = pickup_selectors.offered_windows(request=ret)
    choices = [(w.starts_at.isoformat(), _window_label(w)) for w in windows]
    bookings = list(pickup_selectors.bookings_for_return(ret.pk))
    active = next((b for b in bookings if b.status in ("booked", "confirmed")), None)
    form = f.PickupForm(request.POST or None, windows=choices)
    if request.method == "POST" and form.is_valid():
        starts_at = parse_datetime(form.cleaned_data["starts_at"])
        try:
            if active is not None:
                pickup.rebook_pickup(
                    booking=active, buyer=request.user, starts_at=starts_at
                )
            else:
                pickup.book_pickup(request=ret, buyer=request.user, starts_at=starts_at)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The courier will come in the chosen window."))
            return redirect(request.path)
    return render(
        request,
        "web/c2c/pickup.html",
        {"ret": ret, "form": form, "bookings": bookings, "active": active},
        status=422 if form.errors else 200,
    )


@require_POST
@login_page
def pickup_cancel(request, booking_id: int):
    booking = pickup_selectors.booking_for_buyer(
        user=request.user, booking_id=booking_id
    )
    pickup.cancel_pickup(booking=booking, buyer=request.user)
    messages.success(request, _("The pickup is cancelled."))
    return redirect("web:c2c_pickup", return_id=booking.request_id)
