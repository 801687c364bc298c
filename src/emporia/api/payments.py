"""HTTP API: payments — provider callbacks and the buyer's payment status."""

from __future__ import annotations

import datetime as dt

from django.http import JsonResponse
from ninja import Router, Schema

from emporia.core.payments import selectors, services

from .auth import AUTH
from .errors import error_body
from .schemas import MoneyOut, money

router = Router(tags=["Payments"])


@router.post("/callbacks/{provider}", auth=None, include_in_schema=True)
def provider_callback(request, provider: str):
    """Signed asynchronous notifications from a payment provider. Duplicates
    answer 200 and change nothing; forged ones 401; mismatched amounts 422."""
    result = services.handle_callback(
        provider_name=provider, body=request.body, headers=dict(request.headers)
    )
    if result.status >= 400:
        return JsonResponse(
            error_body("callback_rejected", result.outcome), status=result.status
        )
    return JsonResponse({"result": result.outcome, "payment_id": result.payment_id})


class PaymentOut(Schema):
    id: int
    status: str
    amount: MoneyOut
    provider: str
    redirect_url: str
    created_at: dt.datetime
    succeeded_at: dt.datetime | None
    order_ids: list[int]


def payment_out(p) -> dict:
    return {
        "id": p.pk,
        "status": p.status,
        "amount": money(p.amount_minor, p.currency),
        "provider": p.provider,
        "redirect_url": p.redirect_url,
        "created_at": p.created_at,
        "succeeded_at": p.succeeded_at,
        "order_ids": sorted(p.orders.values_list("id", flat=True)),
    }


@router.get("/{payment_id}", response=PaymentOut, auth=AUTH)
def payment_detail(request, payment_id: int):
    return payment_out(selectors.payment_for(user=request.auth, payment_id=payment_id))
