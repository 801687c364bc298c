"""Ledger reads: balances are always sums of postings."""

from __future__ import annotations

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from emporia.kernel.money import Money

from .models import Account, Posting


def balance(code: str, currency: str | None = None) -> Money:
    """Balance on the account's normal side (positive = what it normally holds)."""
    account = Account.objects.filter(code=code).first()
    if account is None:
        return Money.zero(currency or code.rsplit(":", 1)[-1])
    sums = Posting.objects.filter(account=account).aggregate(
        d=Coalesce(Sum("debit_minor"), 0), c=Coalesce(Sum("credit_minor"), 0)
    )
    minor = sums["d"] - sums["c"] if account.debit_normal else sums["c"] - sums["d"]
    return Money(minor, account.currency)


def balances(codes: list[str]) -> dict[str, Money]:
    """Normal-side balances for several accounts in one query."""
    accounts = {a.code: a for a in Account.objects.filter(code__in=codes)}
    rows = (
        Posting.objects.filter(account__code__in=codes)
        .values("account__code")
        .annotate(d=Coalesce(Sum("debit_minor"), 0), c=Coalesce(Sum("credit_minor"), 0))
    )
    out = {code: Money.zero(code.rsplit(":", 1)[-1]) for code in codes}
    for row in rows:
        acc = accounts[row["account__code"]]
        minor = row["d"] - row["c"] if acc.debit_normal else row["c"] - row["d"]
        out[acc.code] = Money(minor, acc.currency)
    return out


def trial_balance() -> dict[str, dict[str, int]]:
    """Total debits and credits per currency over the whole ledger (must match)."""
    rows = Posting.objects.values("currency").annotate(
        d=Coalesce(Sum("debit_minor"), 0), c=Coalesce(Sum("credit_minor"), 0)
    )
    return {r["currency"]: {"debit": r["d"], "credit": r["c"]} for r in rows}


def postings_for(code_prefix: str):
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
