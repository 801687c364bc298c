"""HTTP API: shop money — balances, ledger lines, payouts; the operators'
trial balance.

Shop staff see their shop's money (anyone else gets 404); only an owner may
list or request payouts.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from emporia.core.accounts import selectors as accounts
from emporia.core.ledger import selectors as ledger
from emporia.core.payments import payouts
from emporia.kernel.errors import NotFound, ValidationFailed
from emporia.kernel.money import MAX_MINOR, Money, known_currencies

from .auth import AUTH

router = Router(tags=["Shop money"], auth=AUTH)


class CurrencyQuery(Schema):
    currency: str | None = Field(None, min_length=3, max_length=3)


class LedgerQuery(CurrencyQuery):
    limit: int = Field(50, ge=1, le=ledger.MAX_PAGE)
    offset: int = Field(0, ge=0, le=10**9)


class PayoutIn(Schema):
    amount_minor: int = Field(..., gt=0, le=MAX_MINOR, strict=True)
    currency: str | None = Field(None, min_length=3, max_length=3)
    bank_account: str = Field(..., min_length=1, max_length=64)
    key: str | None = Field(None, min_length=1, max_length=100)


def _currency(value: str | None, default: str) -> str:
    currency = (value or default).upper()
    if currency not in known_currencies():
        raise ValidationFailed(
            _("%(value)s is not an ISO 4217 currency code") % {"value": currency},
            field="currency",
        )
    return currency


def _payout(p) -> dict:
    return {
        "id": p.pk,
        "amount": Money(p.amount_minor, p.currency).as_dict(),
        "bank_account": p.bank_account,
        "key": p.key,
        "requested_by": p.requested_by_id,
        "created_at": p.created_at,
    }


@router.get("shops/{shop_id}/balance")
def shop_balance(request, shop_id: int, q: Query[CurrencyQuery]):
    """Held (escrow), available (payable) and withdrawn money of a shop."""
    shop = accounts.staff_shop(user=request.auth, shop_id=shop_id)
    currency = _currency(q.currency, shop.currency)
    money = ledger.shop_money(shop.pk, currency)
    return {
        "shop_id": shop.pk,
        "currency": currency,
        "held": money.held.as_dict(),
        "available": money.available.as_dict(),
        "withdrawn": money.withdrawn.as_dict(),
    }


@router.get("shops/{shop_id}/ledger")
def shop_ledger(request, shop_id: int, q: Query[LedgerQuery]):
    """A page of the shop's ledger lines, newest first."""
    shop = accounts.staff_shop(user=request.auth, shop_id=shop_id)
    currency = _currency(q.currency, shop.currency) if q.currency else None
    page = ledger.shop_lines(shop.pk, currency=currency, limit=q.limit, offset=q.offset)
    return {
        "count": page.count,
        "limit": page.limit,
        "offset": page.offset,
        "items": [
            {
                "id": line.id,
                "entry_id": line.entry_id,
                "kind": line.kind,
                "memo": line.memo,
                "ref": line.ref,
                "account": line.purpose,
                "debit": line.debit.as_dict(),
                "credit": line.credit.as_dict(),
                "occurred_at": line.occurred_at,
            }
            for line in page.items
        ],
    }


@router.get("shops/{shop_id}/payouts")
def list_payouts(request, shop_id: int):
    """The shop's payouts, newest first (owners only)."""
    shop = accounts.staff_shop(user=request.auth, shop_id=shop_id, owner_only=True)
    return {"items": [_payout(p) for p in payouts.payouts_for(shop.pk)[:200]]}


@router.post("shops/{shop_id}/payouts", response={201: dict})
def create_payout(request, shop_id: int, payload: PayoutIn):
    """Withdraw available money to a bank account (owners only)."""
    shop = accounts.staff_shop(user=request.auth, shop_id=shop_id, owner_only=True)
    currency = _currency(payload.currency, shop.currency)
    payout = payouts.request_payout(
        shop=shop,
        by=request.auth,
        amount=Money(payload.amount_minor, currency),
        bank_account=payload.bank_account,
        key=f"payout:{shop.pk}:{payload.key}" if payload.key else None,
    )
    return Status(201, _payout(payout))


@router.get("trial-balance")
def trial_balance(request, q: Query[CurrencyQuery]):
    """Every ledger account's debits, credits and balance (operators only)."""
    if not request.auth.is_operator:
        raise NotFound(_("Not found"))
    currency = _currency(q.currency, "CNY") if q.currency else None
    rows = ledger.trial_balance_by_account(currency)
    totals = ledger.trial_balance()
    return {
        "accounts": [
            {
                "account": r.account,
                "type": r.type,
                "debit": r.debit.as_dict(),
                "credit": r.credit.as_dict(),
                "balance": r.balance.as_dict(),
            }
            for r in rows
        ],
        "totals": {
            cur: {**sums, "balanced": sums["debit"] == sums["credit"]}
            for cur, sums in sorted(totals.items())
            if currency is None or cur == currency
        },
    }
