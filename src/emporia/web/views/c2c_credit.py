"""C2C trade ratings and seller credit on the web: the buyer's rating page,
the credit shown on shop and product pages (which also record visits), the
seller's ratings with replies and the seller growth center."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from emporia.core.accounts import selectors as accounts
from emporia.core.orders import selectors as orders
from emporia.kernel.errors import DomainError
from emporia.kernel.money import Money
from emporia.modes.c2c.selectors import credit as selectors
from emporia.modes.c2c.selectors import growth
from emporia.modes.c2c.services import credit as services
from emporia.modes.c2c.services import visits

from ..c2c_credit_forms import AmendRatingForm, ReplyForm, TradeRatingForm
from .common import form_error, login_page, page_number, session_key

RECENT_RATINGS = 10
TIERS = {
    "none": gettext_lazy("New seller"),
    "heart": gettext_lazy("hearts"),
    "diamond": gettext_lazy("diamonds"),
    "crown": gettext_lazy("crowns"),
    "golden_crown": gettext_lazy("golden crowns"),
}
SCORE_NAMES = {
    "description": gettext_lazy("Item as described"),
    "service": gettext_lazy("Seller's service"),
    "logistics": gettext_lazy("Delivery speed"),
}
CHECKS = {
    "score_description": gettext_lazy("“Item as described” against the category"),
    "score_service": gettext_lazy("“Seller's service” against the category"),
    "score_logistics": gettext_lazy("“Delivery speed” against the category"),
    "late_shipping": gettext_lazy("Orders shipped more than 48 hours after payment"),
    "returns": gettext_lazy("Orders returned or refunded, last 30 days"),
    "bad_ratings": gettext_lazy("Bad ratings, last 180 days"),
    "dispute_rate": gettext_lazy("Disputes opened per paid order, last 90 days"),
    "disputes_lost": gettext_lazy("Disputes ruled against the shop, last 90 days"),
}


def _record_visit(request, *, shop_id: int, product_id: int | None = None) -> None:
    """Count the visitor for the shop's growth center; the shop's own staff
    do not count."""
    user = request.user if request.user.is_authenticated else None
    if user is not None and accounts.is_shop_staff(user=user, shop_id=shop_id):
        return
    key = visits.visitor_key(
        user=user, session_key=None if user else session_key(request)
    )
    visits.record_visit(shop_id=shop_id, visitor=key, user=user, product_id=product_id)


def badge(credit) -> dict:
    """What the credit badge partial needs."""
    level = credit.level
    return {
        "credit": credit,
        "level": level,
        "tier_label": TIERS[level.tier],
        "icons": range(level.icons),
    }


def shop_credit_context(request, shop) -> dict:
    """The credit section of the public shop page; records the visit."""
    _record_visit(request, shop_id=shop.pk)
    summary = selectors.credit_summary(shop.pk)
    return {
        "c2c": badge(summary.credit),
        "c2c_scores": [
            {"label": SCORE_NAMES[s.name], "score": s} for s in summary.scores.scores
        ],
        "c2c_ratings": list(
            selectors.public_ratings(shop.pk).prefetch_related("order__lines")[
                :RECENT_RATINGS
            ]
        ),
    }


def product_credit_context(request, product: dict) -> dict:
    """The shop card's credit badge on a product page; records the visit."""
    _record_visit(request, shop_id=product["shop_id"], product_id=product["id"])
    return {"c2c": badge(selectors.shop_credit(product["shop_id"]))}


@login_page
def rate_order(request, order_id: int):
    """The buyer rates a completed trade, or amends the rating once."""
    order = orders.order_for_buyer(user=request.user, order_id=order_id)
    rating = selectors.rating_for_order(user=request.user, order_id=order.pk)
    form = amend = None
    if rating is None:
        form = TradeRatingForm(request.POST or None)
    elif rating.verdict != "good" and rating.amended_at is None:
        amend = AmendRatingForm(
            request.POST or None, initial={"verdict": "good", "text": rating.text}
        )
    status = 200
    if request.method == "POST":
        active = form or amend
        if active is not None and active.is_valid():
            data = active.cleaned_data
            try:
                if form is not None:
                    services.rate_trade(buyer=request.user, order_id=order.pk, **data)
                else:
                    services.amend_rating(buyer=request.user, order_id=order.pk, **data)
            except DomainError as exc:
                form_error(active, exc)
            else:
                messages.success(request, _("Thanks for rating this trade."))
                return redirect("web:c2c_rate", order_id=order.pk)
        status = 422
    return render(
        request,
        "web/c2c/rate.html",
        {
            "order": order,
            "rating": rating,
            "form": form,
            "amend_form": amend,
            "amend_until": services.AMEND_WINDOW_DAYS,
            "rate_within": services.RATING_WINDOW_DAYS,
        },
        status=status,
    )


def _seller(request, template: str, shop, context: dict, status: int = 200):
    return render(
        request,
        f"web/seller/{template}",
        {"shop": shop, "section": template.split(".")[0], **context},
        status=status,
    )


@login_page
def seller_ratings(request, shop_id: int):
    """The shop's ratings, newest first, each with a reply form until
    answered."""
    shop = accounts.staff_shop(user=request.user, shop_id=shop_id)
    unreplied = request.GET.get("unreplied") == "1"
    qs = selectors.shop_ratings_for_staff(
        user=request.user, shop_id=shop.pk, unreplied=unreplied
    ).prefetch_related("order__lines")
    return _seller(
        request,
        "c2c_ratings.html",
        shop,
        {
            "page_obj": Paginator(qs, 20).get_page(page_number(request)),
            "unreplied": unreplied,
            "c2c": badge(selectors.shop_credit(shop.pk)),
            "reply_form": ReplyForm(),
        },
    )


@require_POST
@login_page
def seller_reply(request, shop_id: int, order_id: int):
    shop = accounts.staff_shop(user=request.user, shop_id=shop_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_to_rating(
                user=request.user, order_id=order_id, text=form.cleaned_data["text"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your reply is published."))
    else:
        messages.error(request, _("Write a reply of at most 500 characters."))
    return redirect("web:seller_ratings", shop_id=shop.pk)


def _check_row(check) -> dict:
    return {"check": check, "label": CHECKS.get(check.code, check.code)}


@login_page
def growth_center(request, shop_id: int):
    """Seller growth center — 生意参谋: figures, charts and the checklist."""
    shop = accounts.staff_shop(user=request.user, shop_id=shop_id)
    try:
        days = max(7, min(int(request.GET.get("days", 30)), 90))
    except ValueError:
        days = 30
    g = growth.shop_growth(shop_id=shop.pk, currency=shop.currency, days=days)
    checks = growth.growth_checklist(shop_id=shop.pk)
    return _seller(
        request,
        "c2c_growth.html",
        shop,
        {
            "g": g,
            "period": days,
            "checks": [_check_row(c) for c in checks],
            "failing": sum(1 for c in checks if c.ok is False),
            "c2c": badge(selectors.shop_credit(shop.pk)),
            "chart": {
                "labels": [d.day.isoformat() for d in g.days],
                "visitors": [d.visitors for d in g.days],
                "buyers": [d.buyers for d in g.days],
                "conversion": [
                    str(d.conversion) if d.conversion is not None else None
                    for d in g.days
                ],
                "gmv": [str(Money(d.gmv_minor, shop.currency).amount) for d in g.days],
                "credit": [d.credit_points for d in g.days],
            },
        },
    )
