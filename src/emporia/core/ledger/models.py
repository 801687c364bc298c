"""The double-entry ledger.

Design overview
---------------
Money that moves is recorded as a ``JournalEntry`` with two or more
``Posting`` rows. Each posting is *either* a debit *or* a credit — two
columns, exactly one positive, so nobody has to remember a sign convention.
For every entry and currency, debits equal credits: PostgreSQL enforces it
with a deferred constraint trigger (migration 0002), and the single writer
``ledger.services.post`` checks it before writing on every database.
Balances are sums of postings, never stored anywhere else. An entry's
``key`` is unique, so posting the same business fact twice (a replayed
callback, a retried job) is refused by the database.

Accounts are named by ``code`` and hold one currency each. The platform's
chart of accounts:

=========================  =========  ==========================================
code                       type       meaning
=========================  =========  ==========================================
platform:psp_clearing:CUR  asset      money held for us at the payment provider
shop:ID:escrow:CUR         liability  buyers' payments held for a shop's orders
shop:ID:payable:CUR        liability  earned by the shop, not yet paid out
shop:ID:withdrawn:CUR      equity     paid out to the shop's bank (memo total)
platform:commission:CUR    revenue    the platform's commission
platform:marketing:CUR     expense    rewards and free goods the platform funds
platform:ad_revenue:CUR    revenue    what shops pay for ad clicks (C2C ads)
=========================  =========  ==========================================

Capture: Dr psp_clearing / Cr shop escrow. Release on completion: Dr shop
escrow / Cr shop payable and Cr commission. Refund before release: Dr shop
escrow / Cr psp_clearing. Payout: Dr shop payable / Cr psp_clearing, plus a
memo pair that grows ``withdrawn``. Ad click: Dr shop payable / Cr
ad_revenue (the shop pays from what it has earned).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from emporia.kernel import clock


class Account(models.Model):
    class Type(models.TextChoices):
        ASSET = "asset", "Asset"
        LIABILITY = "liability", "Liability"
        EQUITY = "equity", "Equity"
        REVENUE = "revenue", "Revenue"
        EXPENSE = "expense", "Expense"

    code = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=10, choices=Type.choices)
    currency = models.CharField(max_length=3)
    owner_kind = models.CharField(
        max_length=20, blank=True
    )  # "shop", "platform", "user"
    owner_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [
            models.Index(fields=["owner_kind", "owner_id"], name="account_owner")
        ]

    def __str__(self):
        return self.code

    @property
    def debit_normal(self) -> bool:
        """Assets and expenses grow with debits; the rest grow with credits."""
        return self.type in (self.Type.ASSET, self.Type.EXPENSE)


class JournalEntry(models.Model):
    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=40, db_index=True)
    memo = models.CharField(max_length=255, blank=True)
    ref = models.CharField(max_length=64, blank=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    occurred_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name_plural = "journal entries"

    def __str__(self):
        return f"{self.kind} {self.key}"


class Posting(models.Model):
    entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, related_name="postings"
    )
    # the posting_account index leads with account
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="postings", db_index=False
    )
    debit_minor = models.BigIntegerField(default=0)
    credit_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(debit_minor__gt=0, credit_minor=0)
                    | Q(credit_minor__gt=0, debit_minor=0)
                ),
                name="posting_one_side_positive",
            )
        ]
        indexes = [models.Index(fields=["account", "entry"], name="posting_account")]
