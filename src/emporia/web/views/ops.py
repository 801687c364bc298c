"""Operations console for platform staff: the platform's health at a glance.
The Django admin stays at /admin/ for editing records."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render

from emporia.core.accounts import selectors as accounts
from emporia.core.ledger import selectors as ledger
from emporia.core.orders import selectors as orders
from emporia.core.orders.states import OrderStatus
from emporia.core.payments import selectors as payments
from emporia.infra.webhooks import selectors as webhooks
from emporia.kernel.money import Money

from .common import page


def operator_page(view):
    """Operators only: anonymous visitors log in, everyone else gets a 404."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_operator:
            raise Http404("No such page")
        return page(view)(request, *args, **kwargs)

    return wrapper


@operator_page
def dashboard(request):
    currency = settings.EMPORIA["DEFAULT_CURRENCY"]
    days = orders.platform_sales_by_day(currency=currency, days=30)
    shops = accounts.shops_opened_by_day(days=30)
    by_status = orders.orders_by_status()
    pending_count, pending = payments.awaiting_callbacks(limit=10)
    failing_count, failing = webhooks.failing_deliveries(limit=10)
    trial = ledger.trial_balance()
    trial_rows = [
        {
            "currency": cur,
            "debit": Money(t["debit"], cur),
            "credit": Money(t["credit"], cur),
            "difference": Money(t["debit"] - t["credit"], cur),
            "balanced": t["debit"] == t["credit"],
        }
        for cur, t in sorted(trial.items())
    ]
    return render(
        request,
        "web/ops/dashboard.html",
        {
            "currency": currency,
            "gmv_30d": Money(sum(d.revenue_minor for d in days), currency),
            "orders_30d": sum(d.orders for d in days),
            "counts": accounts.platform_counts(),
            "by_status": [(OrderStatus(s).label, n) for s, n in by_status.items()],
            "pending_count": pending_count,
            "pending": pending,
            "failing_count": failing_count,
            "failing": failing,
            "trial": trial_rows,
            "balanced": all(r["balanced"] for r in trial_rows),
            "chart": {
                "labels": [d.day.isoformat() for d in days],
                "gmv": [str(Money(d.revenue_minor, currency).amount) for d in days],
                "orders": [d.orders for d in days],
                "buyers": [d.buyers for d in days],
                "shops": [n for _, n in shops],
                "status_labels": [OrderStatus(s).label for s in by_status],
                "status_counts": list(by_status.values()),
            },
        },
    )
