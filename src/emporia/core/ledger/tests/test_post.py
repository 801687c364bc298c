"""Worked examples of the single writer ``post()`` and the escrow flow."""

import pytest
from django.utils import translation

from emporia.core.ledger import selectors
from emporia.core.ledger.models import Account, JournalEntry, Posting
from emporia.core.ledger.services import (
    Leg,
    platform_account,
    post,
    shop_account,
)
from emporia.kernel.errors import Conflict, ValidationFailed
from emporia.kernel.money import Money

pytestmark = pytest.mark.django_db


def cny(minor):
    return Money(minor, "CNY")


def snapshot():
    return (JournalEntry.objects.count(), Posting.objects.count())


def test_escrow_flow_capture_release_refund_payout_has_exact_balances(shop):
    clearing = platform_account("psp_clearing", "CNY")
    commission = platform_account("commission", "CNY")
    escrow = shop_account(shop.pk, "escrow", "CNY")
    payable = shop_account(shop.pk, "payable", "CNY")

    # given a buyer pays ¥100.00 for two orders of the shop
    post(
        key="capture:1",
        kind="capture",
        legs=[Leg.debit(clearing, cny(10000)), Leg.credit(escrow, cny(10000))],
    )
    assert selectors.balances([clearing, escrow]) == {
        clearing: cny(10000),
        escrow: cny(10000),
    }

    # when the ¥60.00 order completes, 5% commission goes to the platform
    post(
        key="release:1",
        kind="release",
        legs=[
            Leg.debit(escrow, cny(6000)),
            Leg.credit(payable, cny(5700)),
            Leg.credit(commission, cny(300)),
        ],
    )
    # and the ¥40.00 order is refunded before release
    post(
        key="refund:2",
        kind="refund",
        legs=[Leg.debit(escrow, cny(4000)), Leg.credit(clearing, cny(4000))],
    )
    # and the shop withdraws ¥50.00
    post(
        key="payout:1",
        kind="payout",
        legs=[
            Leg.debit(payable, cny(5000)),
            Leg.credit(clearing, cny(5000)),
            Leg.debit(shop_account(shop.pk, "withdrawals", "CNY"), cny(5000)),
            Leg.credit(shop_account(shop.pk, "withdrawn", "CNY"), cny(5000)),
        ],
    )

    # then every balance is exact
    assert selectors.balances([clearing, commission, escrow, payable]) == {
        clearing: cny(1000),
        commission: cny(300),
        escrow: cny(0),
        payable: cny(700),
    }
    assert selectors.shop_money(shop.pk, "CNY") == selectors.ShopMoney(
        held=cny(0), available=cny(700), withdrawn=cny(5000)
    )
    assert selectors.trial_balance() == {"CNY": {"debit": 30000, "credit": 30000}}


def test_accounts_are_created_from_the_chart_with_their_types(shop):
    post(
        key="capture:9",
        kind="capture",
        legs=[
            Leg.debit(platform_account("psp_clearing", "CNY"), cny(100)),
            Leg.credit(shop_account(shop.pk, "escrow", "CNY"), cny(100)),
        ],
    )
    escrow = Account.objects.get(code=f"shop:{shop.pk}:escrow:CNY")
    assert (escrow.type, escrow.owner_kind, escrow.owner_id, escrow.currency) == (
        "liability",
        "shop",
        shop.pk,
        "CNY",
    )
    assert Account.objects.get(code="platform:psp_clearing:CNY").type == "asset"


def test_a_duplicate_key_is_a_conflict_and_writes_nothing(shop):
    legs = [
        Leg.debit(platform_account("psp_clearing", "CNY"), cny(500)),
        Leg.credit(shop_account(shop.pk, "escrow", "CNY"), cny(500)),
    ]
    post(key="capture:dup", kind="capture", legs=legs)
    before = snapshot()

    with pytest.raises(Conflict) as err:
        post(key="capture:dup", kind="capture", legs=legs)

    assert err.value.code == "duplicate_entry"
    assert snapshot() == before
    assert selectors.balance(f"shop:{shop.pk}:escrow:CNY") == cny(500)


def test_the_duplicate_conflict_is_worded_in_the_callers_language(shop):
    # The one ledger refusal a person might meet (a retried request racing
    # its twin); the ledger's other refusals guard its invariants, for
    # programmers, and stay English.
    legs = [
        Leg.debit(platform_account("psp_clearing", "CNY"), cny(500)),
        Leg.credit(shop_account(shop.pk, "escrow", "CNY"), cny(500)),
    ]
    post(key="capture:dup", kind="capture", legs=legs)
    before = snapshot()

    with translation.override("zh-hans"), pytest.raises(Conflict) as zh:
        post(key="capture:dup", kind="capture", legs=legs)
    with translation.override("en"), pytest.raises(Conflict) as en:
        post(key="capture:dup", kind="capture", legs=legs)

    assert zh.value.message == "账务记录 'capture:dup' 已入账，请勿重复提交"
    assert en.value.message == "Ledger entry 'capture:dup' was already posted"
    assert snapshot() == before


def test_mixed_currency_legs_balancing_per_currency_are_accepted():
    entry = post(
        key="fx:1",
        kind="fx",
        legs=[
            Leg.debit("platform:psp_clearing:USD", Money(1000, "USD")),
            Leg.credit("platform:commission:USD", Money(1000, "USD")),
            Leg.debit("platform:marketing:CNY", cny(7100)),
            Leg.credit("platform:psp_clearing:CNY", cny(7100)),
        ],
    )
    assert entry.postings.count() == 4
    assert selectors.trial_balance() == {
        "USD": {"debit": 1000, "credit": 1000},
        "CNY": {"debit": 7100, "credit": 7100},
    }


def test_legs_that_balance_in_total_but_not_per_currency_are_refused():
    with pytest.raises(ValidationFailed, match="does not balance in"):
        post(
            key="fx:bad",
            kind="fx",
            legs=[
                Leg.debit("platform:psp_clearing:USD", Money(1000, "USD")),
                Leg.credit("platform:commission:CNY", cny(1000)),
            ],
        )
    assert snapshot() == (0, 0)


def test_an_unbalanced_entry_is_refused_and_writes_nothing():
    with pytest.raises(ValidationFailed, match="debits 100 ≠ credits 99"):
        post(
            key="bad:1",
            kind="capture",
            legs=[
                Leg.debit("platform:psp_clearing:CNY", cny(100)),
                Leg.credit("platform:commission:CNY", cny(99)),
            ],
        )
    assert snapshot() == (0, 0)


def test_a_leg_in_another_currency_than_its_account_is_refused():
    post(
        key="open:1",
        kind="capture",
        legs=[
            Leg.debit("platform:psp_clearing:CNY", cny(100)),
            Leg.credit("platform:commission:CNY", cny(100)),
        ],
    )
    before = snapshot()
    with pytest.raises(ValidationFailed, match="holds CNY, not USD"):
        post(
            key="bad:2",
            kind="capture",
            legs=[
                Leg.debit("platform:psp_clearing:CNY", Money(100, "USD")),
                Leg.credit("platform:commission:USD", Money(100, "USD")),
            ],
        )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("legs", "message"),
    [
        ([Leg.debit("platform:psp_clearing:CNY", cny(100))], "at least two legs"),
        (
            [
                Leg.debit("platform:psp_clearing:CNY", cny(0)),
                Leg.credit("platform:commission:CNY", cny(0)),
            ],
            "positive amount",
        ),
        (
            [
                Leg.debit("platform:psp_clearing:CNY", cny(-5)),
                Leg.credit("platform:commission:CNY", cny(-5)),
            ],
            "positive amount",
        ),
        (
            [
                Leg.debit("nowhere:CNY", cny(5)),
                Leg.credit("platform:commission:CNY", cny(5)),
            ],
            "Malformed",
        ),
        (
            [
                Leg.debit("platform:piggybank:CNY", cny(5)),
                Leg.credit("platform:commission:CNY", cny(5)),
            ],
            "Unknown ledger account purpose",
        ),
    ],
)
def test_malformed_entries_are_refused_and_write_nothing(legs, message):
    with pytest.raises(ValidationFailed, match=message):
        post(key="bad:x", kind="capture", legs=legs)
    assert snapshot() == (0, 0)
    assert Account.objects.count() == 0


def test_a_key_longer_than_the_column_is_refused_not_truncated():
    with pytest.raises(ValidationFailed, match="ledger key"):
        post(
            key="k" * 121,
            kind="capture",
            legs=[
                Leg.debit("platform:psp_clearing:CNY", cny(1)),
                Leg.credit("platform:commission:CNY", cny(1)),
            ],
        )
    assert snapshot() == (0, 0)


def test_shop_lines_page_through_a_shops_postings_newest_first(shop, frozen_clock):
    escrow = shop_account(shop.pk, "escrow", "CNY")
    payable = shop_account(shop.pk, "payable", "CNY")
    for n in range(3):
        post(
            key=f"capture:{n}",
            kind="capture",
            memo=f"order {n}",
            ref=f"order:{n}",
            legs=[
                Leg.debit("platform:psp_clearing:CNY", cny(1000)),
                Leg.credit(escrow, cny(1000)),
            ],
        )
        frozen_clock.advance(minutes=1)
    post(
        key="release:0",
        kind="release",
        ref="order:0",
        legs=[
            Leg.debit(escrow, cny(1000)),
            Leg.credit(payable, cny(950)),
            Leg.credit("platform:commission:CNY", cny(50)),
        ],
    )

    page = selectors.shop_lines(shop.pk, currency="CNY", limit=2, offset=0)

    assert page.count == 5  # 3 escrow credits, 1 escrow debit, 1 payable credit
    assert [(i.kind, i.purpose, i.debit.minor, i.credit.minor) for i in page.items] == [
        ("release", "payable", 0, 950),
        ("release", "escrow", 1000, 0),
    ]
    rest = selectors.shop_lines(shop.pk, currency="CNY", limit=10, offset=2)
    assert [(i.memo, i.ref) for i in rest.items] == [
        ("order 2", "order:2"),
        ("order 1", "order:1"),
        ("order 0", "order:0"),
    ]


def test_trial_balance_by_account_lists_every_account_with_its_balance(shop):
    post(
        key="capture:1",
        kind="capture",
        legs=[
            Leg.debit("platform:psp_clearing:CNY", cny(300)),
            Leg.credit(shop_account(shop.pk, "escrow", "CNY"), cny(300)),
        ],
    )
    rows = selectors.trial_balance_by_account()
    assert [
        (r.account, r.debit.minor, r.credit.minor, r.balance.minor) for r in rows
    ] == [
        ("platform:psp_clearing:CNY", 300, 0, 300),
        (f"shop:{shop.pk}:escrow:CNY", 0, 300, 300),
    ]
