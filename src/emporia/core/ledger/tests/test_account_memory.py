"""A process remembers the ledger accounts it has seen committed, so that a
paid order's entry does not read its accounts again — and never remembers
one that a rolled-back transaction created."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from emporia.core.ledger import selectors
from emporia.core.ledger.models import Account
from emporia.core.ledger.services import Leg, platform_account, post, shop_account
from emporia.kernel.money import Money

pytestmark = pytest.mark.django_db(transaction=True)


def account_reads(ctx) -> int:
    return sum(1 for q in ctx if q["sql"].startswith('SELECT "ledger_account"'))


def capture(key: str, escrow: str, minor: int = 1000):
    clearing = platform_account("psp_clearing", "CNY")
    post(
        key=key,
        kind="capture",
        legs=[
            Leg.debit(clearing, Money(minor, "CNY")),
            Leg.credit(escrow, Money(minor, "CNY")),
        ],
    )


def test_a_second_entry_on_committed_accounts_reads_no_account(shop):
    escrow = shop_account(shop.pk, "escrow", "CNY")
    with CaptureQueriesContext(connection) as first:
        capture("capture:1", escrow)
    with CaptureQueriesContext(connection) as second:
        capture("capture:2", escrow)
    assert account_reads(first) >= 1
    assert account_reads(second) == 0
    assert selectors.balance(escrow) == Money(2000, "CNY")


def test_an_account_created_by_a_rolled_back_transaction_is_not_remembered(shop):
    escrow = shop_account(shop.pk, "escrow", "CNY")

    def failing_order():
        with transaction.atomic():
            capture("capture:gone", escrow)
            raise RuntimeError("the order's transaction fails after the entry")

    with pytest.raises(RuntimeError):
        failing_order()
    assert not Account.objects.filter(code=escrow).exists()

    # the account is created again, and the entry lands on the new row
    with CaptureQueriesContext(connection) as again:
        capture("capture:kept", escrow)
    assert account_reads(again) >= 1
    assert selectors.balance(escrow) == Money(1000, "CNY")
    assert Account.objects.filter(code=escrow).count() == 1
