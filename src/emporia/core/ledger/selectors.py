"""Ledger reads: balances are always sums of postings.

Shop money in three numbers (``shop_money``): *held* is the shop's escrow
balance (buyers paid, the order is not settled yet), *available* its payable
balance (earned, may be paid out), *withdrawn* the total paid out to its bank
(the ``withdrawn`` memo account grown by every payout).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from emporia.kernel.money import Money

from .models import Account, JournalEntry, Posting
from .services import shop_account

MAX_PAGE = 200


@dataclass(frozen=True)
class ShopMoney:
    held: Money
    available: Money
    withdrawn: Money


@dataclass(frozen=True)
class LedgerLine:
    id: int
    entry_id: int
    kind: str
    memo: str
    ref: str
    purpose: str
    account: str
    debit: Money
    credit: Money
    occurred_at: object


@dataclass(frozen=True)
class Page:
    items: list
    count: int
    limit: int
    offset: int


def _normal(account: Account, debits: int, credits: int) -> Money:
    minor = debits - credits if account.debit_normal else credits - debits
    return Money(minor, account.currency)


def balance(code: str, currency: str | None = None) -> Money:
    """Balance on the account's normal side (positive = what it normally holds)."""
    account = Account.objects.filter(code=code).first()
    if account is None:
        return Money.zero(currency or code.rsplit(":", 1)[-1])
    sums = Posting.objects.filter(account=account).aggregate(
        d=Coalesce(Sum("debit_minor"), 0), c=Coalesce(Sum("credit_minor"), 0)
    )
    return _normal(account, sums["d"], sums["c"])


def entry_keys(*, ref: str, kind: str) -> list[str]:
    """Keys of the entries of one kind posted against a reference, oldest first."""
    return list(
        JournalEntry.objects.filter(ref=ref, kind=kind)
        .order_by("id")
        .values_list("key", flat=True)
    )


def entry_debits(key: str) -> list[tuple[str, Money]]:
    """(account code, amount) for each debit leg of entry ``key``, in posting
    order; empty when there is no such entry."""
    return [
        (code, Money(minor, currency))
        for code, minor, currency in Posting.objects.filter(
            entry__key=key, debit_minor__gt=0
        )
        .order_by("id")
        .values_list("account__code", "debit_minor", "currency")
    ]


def balances(codes: list[str]) -> dict[str, Money]:
    """Normal-side balances for several accounts (one query); an account
    without postings, or not opened yet, is zero in its code's currency."""
    rows = (
        Posting.objects.filter(account__code__in=codes)
        .values("account__code", "account__type", "account__currency")
        .annotate(d=Coalesce(Sum("debit_minor"), 0), c=Coalesce(Sum("credit_minor"), 0))
        .order_by()
    )
    out = {code: Money.zero(code.rsplit(":", 1)[-1]) for code in codes}
    for row in rows:
        # The account's type and currency are all the normal side needs.
        acc = Account(
            code=row["account__code"],
            type=row["account__type"],
            currency=row["account__currency"],
        )
        out[acc.code] = _normal(acc, row["d"], row["c"])
    return out


def shop_money(shop_id: int, currency: str) -> ShopMoney:
    """What a shop holds in escrow, may withdraw, and has withdrawn, in one currency."""
    codes = {
        purpose: shop_account(shop_id, purpose, currency)
        for purpose in ("escrow", "payable", "withdrawn")
    }
    found = balances(list(codes.values()))
    return ShopMoney(
        held=found[codes["escrow"]],
        available=found[codes["payable"]],
        withdrawn=found[codes["withdrawn"]],
    )


def shop_lines(
    shop_id: int, *, currency: str | None = None, limit: int = 50, offset: int = 0
) -> Page:
    """A page of posting lines on a shop's accounts, newest first.

    The ``withdrawals`` memo account is left out: it only mirrors ``withdrawn``.
    """
    limit = max(1, min(int(limit), MAX_PAGE))
    offset = max(0, int(offset))
    rows = Posting.objects.filter(
        account__owner_kind="shop", account__owner_id=shop_id
    ).exclude(account__code__contains=":withdrawals:")
    if currency:
        rows = rows.filter(currency=currency)
    count = rows.count()
    page = rows.select_related("entry", "account").order_by(
        "-entry__occurred_at", "-id"
    )[offset : offset + limit]
    items = [
        LedgerLine(
            id=p.pk,
            entry_id=p.entry_id,
            kind=p.entry.kind,
            memo=p.entry.memo,
            ref=p.entry.ref,
            purpose=p.account.code.split(":")[2],
            account=p.account.code,
            debit=Money(p.debit_minor, p.currency),
            credit=Money(p.credit_minor, p.currency),
            occurred_at=p.entry.occurred_at,
        )
        for p in page
    ]
    return Page(items=items, count=count, limit=limit, offset=offset)


def trial_balance() -> dict[str, dict[str, int]]:
    """Total debits and credits per currency over the whole ledger (must match)."""
    rows = Posting.objects.values("currency").annotate(
        d=Coalesce(Sum("debit_minor"), 0), c=Coalesce(Sum("credit_minor"), 0)
    )
    return {r["currency"]: {"debit": r["d"], "credit": r["c"]} for r in rows}


@dataclass(frozen=True)
class TrialBalanceRow:
    account: str
    type: str
    debit: Money
    credit: Money
    balance: Money


def trial_balance_by_account(currency: str | None = None) -> list[TrialBalanceRow]:
    """The operators' trial balance: per account, total debits, credits and the
    normal-side balance, ordered by code. Debits total credits per currency."""
    accounts = Account.objects.all()
    if currency:
        accounts = accounts.filter(currency=currency)
    accounts = accounts.annotate(
        d=Coalesce(Sum("postings__debit_minor"), 0),
        c=Coalesce(Sum("postings__credit_minor"), 0),
    ).order_by("code")
    return [
        TrialBalanceRow(
            account=a.code,
            type=a.type,
            debit=Money(a.d, a.currency),
            credit=Money(a.c, a.currency),
            balance=_normal(a, a.d, a.c),
        )
        for a in accounts
    ]


def postings_for(code_prefix: str) -> QuerySet[Posting]:
    """Posting lines for accounts whose code starts with ``code_prefix``, newest first."""
    return (
        Posting.objects.filter(Q(account__code__startswith=code_prefix))
        .select_related("entry", "account")
        .order_by("-entry__occurred_at", "-id")
    )


def ref_balance(*, code: str, ref: str) -> Money:
    """Normal-side balance of one account counting only entries with ``ref``
    (e.g. what the escrow account still holds for ``order:42``)."""
    account = Account.objects.filter(code=code).first()
    if account is None:
        return Money.zero(code.rsplit(":", 1)[-1])
    sums = Posting.objects.filter(account=account, entry__ref=ref).aggregate(
        d=Coalesce(Sum("debit_minor"), 0), c=Coalesce(Sum("credit_minor"), 0)
    )
    minor = sums["d"] - sums["c"] if account.debit_normal else sums["c"] - sums["d"]
    return Money(minor, account.currency)
