"""The single writer of the ledger. See ``models`` for the chart of accounts.

``post()`` is the only function that creates journal entries. It checks that
the entry balances per currency, that every amount is a positive whole
number of minor units in its account's currency, and that the key is new;
then it writes the entry and its postings in one transaction. Callers pass
``Leg`` objects that say plainly which side each amount is on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from emporia.infra.sql import CompiledQuery, insert_objects, insert_or_nothing
from emporia.kernel import clock
from emporia.kernel.errors import Conflict, ValidationFailed
from emporia.kernel.money import Money

from .models import Account, JournalEntry, Posting

ACCOUNT_TYPES = {
    "psp_clearing": Account.Type.ASSET,
    "escrow": Account.Type.LIABILITY,
    "payable": Account.Type.LIABILITY,
    "withdrawn": Account.Type.EQUITY,
    "withdrawals": Account.Type.EQUITY,
    "commission": Account.Type.REVENUE,
    "marketing": Account.Type.EXPENSE,
    "credit": Account.Type.LIABILITY,
    "ad_revenue": Account.Type.REVENUE,
}


MAX_KEY = JournalEntry._meta.get_field("key").max_length
MAX_KIND = JournalEntry._meta.get_field("kind").max_length


@dataclass(frozen=True)
class Leg:
    """One side of an entry: ``Leg.debit(code, money)`` or ``Leg.credit(code, money)``."""

    account: str
    amount: Money
    side: str  # "debit" | "credit"

    @classmethod
    def debit(cls, account: str, amount: Money) -> Leg:
        return cls(account, amount, "debit")

    @classmethod
    def credit(cls, account: str, amount: Money) -> Leg:
        return cls(account, amount, "credit")


def platform_account(purpose: str, currency: str) -> str:
    return f"platform:{purpose}:{currency}"


def shop_account(shop_id: int, purpose: str, currency: str) -> str:
    return f"shop:{shop_id}:{purpose}:{currency}"


def user_account(user_id: int, purpose: str, currency: str) -> str:
    return f"user:{user_id}:{purpose}:{currency}"


def _describe(code: str) -> tuple[str, str, int | None, str, str]:
    """(type, owner_kind, owner_id, currency, name) for a well-formed account code."""
    parts = code.split(":")
    if len(parts) == 3 and parts[0] == "platform":
        _platform, purpose, currency = parts
        owner_kind, owner_id = "platform", None
    elif len(parts) == 4 and parts[0] in ("shop", "user") and parts[1].isdigit():
        owner_kind, owner_id_s, purpose, currency = parts
        owner_id = int(owner_id_s)
    else:
        raise ValidationFailed(f"Malformed ledger account code {code!r}")
    if purpose not in ACCOUNT_TYPES:
        raise ValidationFailed(f"Unknown ledger account purpose {purpose!r}")
    name = f"{owner_kind} {owner_id or ''} {purpose} {currency}".replace("  ", " ")
    return ACCOUNT_TYPES[purpose], owner_kind, owner_id, currency, name


_ACCOUNTS = CompiledQuery(
    lambda codes: Account.objects.filter(code__in=codes), codes=list
)


# Accounts this process has seen committed, by code. An account is never
# deleted nor given another code (postings refer to it), so a process may
# keep what it has read: the accounts of a paid order (the PSP clearing
# account, the shop's escrow) are then not read again for every order. Kept
# only once the transaction that read or created them commits: an account
# created in a transaction that rolls back is not remembered. Callers use an
# account's id, code and currency, never change it.
_COMMITTED: dict[str, Account] = {}


def forget_accounts(**_signal) -> None:
    """Empty the process's memory of accounts: when a database is emptied
    under it (``flush``, between transactional tests: post_migrate)."""
    _COMMITTED.clear()


def ensure_accounts(codes: Sequence[str]) -> dict[str, Account]:
    """Fetch accounts by code, creating missing ones from the chart: no
    query for accounts this process has seen committed, else one (three
    when some must be created)."""
    wanted = sorted(set(codes))
    found = {c: _COMMITTED[c] for c in wanted if c in _COMMITTED}
    if len(found) == len(wanted):
        return found
    rest = [c for c in wanted if c not in found]
    read = {a.code: a for a in _ACCOUNTS.all(codes=rest)}
    missing = [c for c in rest if c not in read]
    if missing:
        new = []
        for code in missing:
            type_, owner_kind, owner_id, currency, name = _describe(code)
            new.append(
                Account(
                    code=code,
                    name=name,
                    type=type_,
                    currency=currency,
                    owner_kind=owner_kind,
                    owner_id=owner_id,
                )
            )
        Account.objects.bulk_create(new, ignore_conflicts=True)
        read = {a.code: a for a in _ACCOUNTS.all(codes=rest)}
    transaction.on_commit(lambda: _COMMITTED.update(read))
    found.update(read)
    return found


def post(
    *,
    key: str,
    kind: str,
    legs: Sequence[Leg],
    memo: str = "",
    ref: str = "",
    actor=None,
) -> JournalEntry:
    """Record one balanced journal entry.

    Contract: every leg is a positive amount; debits equal credits in every
    currency; each leg's currency matches its account's; ``key`` has never
    been used (Conflict otherwise, with nothing written). Returns the entry.
    """
    if not key or len(key) > MAX_KEY:
        raise ValidationFailed(f"A ledger key of 1 to {MAX_KEY} characters is required")
    if not kind or len(kind) > MAX_KIND:
        raise ValidationFailed(
            f"A ledger kind of 1 to {MAX_KIND} characters is required"
        )
    if len(legs) < 2:
        raise ValidationFailed("A journal entry needs at least two legs")
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for leg in legs:
        if leg.side not in ("debit", "credit"):
            raise ValidationFailed(f"Unknown side {leg.side!r}")
        if leg.amount.minor <= 0:
            raise ValidationFailed("Every ledger leg must be a positive amount")
        sums[leg.amount.currency][0 if leg.side == "debit" else 1] += leg.amount.minor
    for currency, (debits, credits) in sums.items():
        if debits != credits:
            raise ValidationFailed(
                f"Entry {key!r} does not balance in {currency}: "
                f"debits {debits} ≠ credits {credits}"
            )
    accounts = ensure_accounts([leg.account for leg in legs])
    for leg in legs:
        if accounts[leg.account].currency != leg.amount.currency:
            raise ValidationFailed(
                f"Account {leg.account} holds {accounts[leg.account].currency}, "
                f"not {leg.amount.currency}"
            )
    entry = JournalEntry(
        key=key,
        kind=kind,
        memo=memo[:255],
        ref=ref[:64],
        actor=actor,
        occurred_at=clock.now(),
    )
    # Everything above only reads (or creates chart accounts, idempotently);
    # the two writes need no savepoint of their own: a key used before
    # inserts nothing (ON CONFLICT DO NOTHING) and is refused after the block.
    with transaction.atomic(savepoint=False):
        entry.pk = insert_or_nothing(
            JournalEntry,
            {
                "key": entry.key,
                "kind": entry.kind,
                "memo": entry.memo,
                "ref": entry.ref,
                "actor_id": entry.actor_id,
                "occurred_at": entry.occurred_at,
            },
            conflict=("key",),
        )
        if entry.pk is not None:
            insert_objects(
                [
                    Posting(
                        entry=entry,
                        account=accounts[leg.account],
                        debit_minor=leg.amount.minor if leg.side == "debit" else 0,
                        credit_minor=leg.amount.minor if leg.side == "credit" else 0,
                        currency=leg.amount.currency,
                    )
                    for leg in legs
                ]
            )
    if entry.pk is None:
        raise Conflict(
            _("Ledger entry %(key)s was already posted") % {"key": repr(key)},
            code="duplicate_entry",
        )
    entry._state.adding = False
    return entry


def entry_exists(key: str) -> bool:
    return JournalEntry.objects.filter(key=key).exists()


def lock_account(code: str) -> Account:
    """Create the account if needed and lock its row until the transaction
    ends, so a check of its balance and the posting that depends on it are
    not raced by another writer (a buyer's credit spent twice at once)."""
    ensure_accounts([code])
    return Account.objects.select_for_update().get(code=code)


@transaction.atomic
def reverse(*, key: str, new_key: str, kind: str, memo: str = "", actor=None):
    """Post the mirror image of entry ``key`` (every debit becomes a credit)
    under ``new_key``, with the same ref. Idempotent through ``new_key``:
    returns None when ``key`` does not exist or was already reversed."""
    entry = JournalEntry.objects.filter(key=key).first()
    if entry is None or entry_exists(new_key):
        return None
    legs = [
        Leg.credit(p.account.code, Money(p.debit_minor, p.currency))
        if p.debit_minor
        else Leg.debit(p.account.code, Money(p.credit_minor, p.currency))
        for p in entry.postings.select_related("account")
    ]
    return post(
        key=new_key,
        kind=kind,
        legs=legs,
        memo=memo or entry.memo,
        ref=entry.ref,
        actor=actor,
    )
