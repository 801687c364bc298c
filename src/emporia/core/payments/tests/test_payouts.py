"""Shop payouts: owner only, within limits and balance, never overdrawn."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from emporia.core.accounts.models import ShopMember
from emporia.core.ledger import selectors as ledger_selectors
from emporia.core.ledger.models import JournalEntry
from emporia.core.ledger.services import Leg, platform_account, post, shop_account
from emporia.core.payments.models import Payout
from emporia.core.payments.payouts import mask_bank_account, payouts_for, request_payout
from emporia.kernel.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from emporia.kernel.money import Money

BANK = "6222 0212 3456 7890"


@pytest.fixture(autouse=True)
def english():
    """These tests call the services directly and read the English wording
    (outside a request the platform's language, Chinese, would apply)."""
    with translation.override("en"):
        yield


def cny(minor):
    return Money(minor, "CNY")


def earn(shop, minor, n=1):
    """The shop earns ``minor`` (captured then released, commission aside)."""
    escrow = shop_account(shop.pk, "escrow", "CNY")
    post(
        key=f"capture:test:{shop.pk}:{n}",
        kind="capture",
        legs=[
            Leg.debit(platform_account("psp_clearing", "CNY"), cny(minor)),
            Leg.credit(escrow, cny(minor)),
        ],
    )
    post(
        key=f"release:test:{shop.pk}:{n}",
        kind="release",
        legs=[
            Leg.debit(escrow, cny(minor)),
            Leg.credit(shop_account(shop.pk, "payable", "CNY"), cny(minor)),
        ],
    )


def owner_of(shop):
    return shop.members.get(role=ShopMember.Role.OWNER).user


def state(shop):
    return (
        Payout.objects.count(),
        JournalEntry.objects.filter(kind="payout").count(),
        ledger_selectors.shop_money(shop.pk, "CNY"),
    )


@pytest.mark.django_db
def test_owner_withdraws_from_available_balance(shop, frozen_clock):
    earn(shop, 10000)
    owner = owner_of(shop)

    payout = request_payout(shop=shop, by=owner, amount=cny(6000), bank_account=BANK)

    assert (payout.amount_minor, payout.currency, payout.bank_account) == (
        6000,
        "CNY",
        "**** **** 7890",
    )
    assert payout.requested_by == owner
    assert payout.created_at == frozen_clock()
    assert ledger_selectors.shop_money(shop.pk, "CNY") == ledger_selectors.ShopMoney(
        held=cny(0), available=cny(4000), withdrawn=cny(6000)
    )
    assert ledger_selectors.balance("platform:psp_clearing:CNY") == cny(4000)
    entry = JournalEntry.objects.get(key=payout.key)
    assert (entry.kind, entry.actor, entry.memo) == (
        "payout",
        owner,
        "Payout to bank account **** **** 7890",
    )
    assert list(payouts_for(shop.pk)) == [payout]


@pytest.mark.django_db
def test_more_than_available_is_refused_and_nothing_changes(shop):
    earn(shop, 5000)
    before = state(shop)
    with pytest.raises(ValidationFailed, match=r"Only 50\.00 CNY is available"):
        request_payout(
            shop=shop, by=owner_of(shop), amount=cny(5001), bank_account=BANK
        )
    assert state(shop) == before


@pytest.mark.django_db
def test_below_the_minimum_is_refused(shop, settings):
    settings.EMPORIA = {**settings.EMPORIA, "PAYOUT_MIN_MINOR": 2000}
    earn(shop, 5000)
    before = state(shop)
    with pytest.raises(ValidationFailed, match=r"smallest payout is 20\.00 CNY"):
        request_payout(
            shop=shop, by=owner_of(shop), amount=cny(1999), bank_account=BANK
        )
    assert state(shop) == before


@pytest.mark.django_db
def test_the_default_minimum_is_ten_yuan(shop):
    earn(shop, 5000)
    with pytest.raises(ValidationFailed, match=r"smallest payout is 10\.00 CNY"):
        request_payout(shop=shop, by=owner_of(shop), amount=cny(999), bank_account=BANK)


@pytest.mark.django_db
def test_the_daily_limit_counts_todays_payouts_and_resets_tomorrow(
    shop, settings, frozen_clock
):
    settings.EMPORIA = {**settings.EMPORIA, "PAYOUT_DAILY_LIMIT_MINOR": 10000}
    earn(shop, 30000)
    owner = owner_of(shop)
    request_payout(shop=shop, by=owner, amount=cny(7000), bank_account=BANK)
    before = state(shop)

    with pytest.raises(ValidationFailed, match=r"limited to 100\.00 CNY a day"):
        request_payout(shop=shop, by=owner, amount=cny(3001), bank_account=BANK)
    assert state(shop) == before

    request_payout(shop=shop, by=owner, amount=cny(3000), bank_account=BANK)
    frozen_clock.advance(days=1)
    request_payout(shop=shop, by=owner, amount=cny(10000), bank_account=BANK)
    assert ledger_selectors.shop_money(shop.pk, "CNY").withdrawn == cny(20000)


@pytest.mark.django_db
def test_staff_who_are_not_owners_and_strangers_are_refused(
    shop, user_factory, operator
):
    earn(shop, 5000)
    staff = user_factory()
    ShopMember.objects.create(shop=shop, user=staff, role=ShopMember.Role.STAFF)
    before = state(shop)

    with pytest.raises(PermissionDenied):
        request_payout(shop=shop, by=staff, amount=cny(1000), bank_account=BANK)
    with pytest.raises(NotFound):
        request_payout(
            shop=shop, by=user_factory(), amount=cny(1000), bank_account=BANK
        )
    with pytest.raises(NotFound):
        request_payout(shop=shop, by=operator, amount=cny(1000), bank_account=BANK)
    assert state(shop) == before


@pytest.mark.django_db
def test_a_reused_key_is_a_conflict(shop):
    earn(shop, 5000)
    owner = owner_of(shop)
    request_payout(shop=shop, by=owner, amount=cny(1000), bank_account=BANK, key="p1")
    before = state(shop)
    with pytest.raises(Conflict):
        request_payout(
            shop=shop, by=owner, amount=cny(1000), bank_account=BANK, key="p1"
        )
    assert state(shop) == before


@pytest.mark.django_db
def test_a_frozen_shop_cannot_withdraw(shop):
    earn(shop, 5000)
    shop.status = shop.Status.FROZEN
    shop.save()
    with pytest.raises(ValidationFailed, match="frozen or closed"):
        request_payout(
            shop=shop, by=owner_of(shop), amount=cny(1000), bank_account=BANK
        )
    assert Payout.objects.count() == 0


@pytest.mark.parametrize("raw", ["", "1234567", "6222-0212-3456!", "x" * 35])
def test_malformed_bank_accounts_are_refused(raw):
    with pytest.raises(ValidationFailed, match="bank account"):
        mask_bank_account(raw)


def test_bank_accounts_keep_only_the_last_four():
    assert mask_bank_account("de89 3704 0044 0532 0130 00") == "**** **** 3000"


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_racing_payouts_never_overdraw(shop):
    # given ¥100.00 available and 8 owners' requests of ¥30.00 at once
    earn(shop, 10000)
    owner = owner_of(shop)
    barrier = threading.Barrier(8)
    outcomes = []

    def withdraw(n):
        try:
            barrier.wait()
            request_payout(
                shop=shop, by=owner, amount=cny(3000), bank_account=BANK, key=f"r{n}"
            )
            outcomes.append("ok")
        except ValidationFailed:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=withdraw, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # then exactly three were paid and the balance never went below zero
    assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * 5
    assert ledger_selectors.shop_money(shop.pk, "CNY") == ledger_selectors.ShopMoney(
        held=cny(0), available=cny(1000), withdrawn=cny(9000)
    )
    assert Payout.objects.count() == 3


@pytest.mark.django_db
def test_the_daily_limit_resets_at_local_midnight_not_utc(shop, settings, frozen_clock):
    # given a platform in Asia/Shanghai (UTC+8) and a limit of 100.00 a day
    settings.EMPORIA = {**settings.EMPORIA, "PAYOUT_DAILY_LIMIT_MINOR": 10000}
    earn(shop, 30000)
    owner = owner_of(shop)
    frozen_clock.advance(hours=5, minutes=30)  # 15:30 UTC = 23:30 local
    request_payout(shop=shop, by=owner, amount=cny(7000), bank_account=BANK)
    # when an hour later it is 00:30 local on the next day (still the same UTC day)
    frozen_clock.advance(hours=1)
    request_payout(shop=shop, by=owner, amount=cny(10000), bank_account=BANK)
    # then the whole new day's limit was available
    assert ledger_selectors.shop_money(shop.pk, "CNY").withdrawn == cny(17000)


@pytest.mark.django_db
def test_the_daily_limit_spans_utc_midnight_within_one_local_day(
    shop, settings, frozen_clock
):
    # given 07:30 local (23:30 UTC the day before) with 70.00 paid out
    settings.EMPORIA = {**settings.EMPORIA, "PAYOUT_DAILY_LIMIT_MINOR": 10000}
    earn(shop, 30000)
    owner = owner_of(shop)
    frozen_clock.advance(hours=-10, minutes=-30)
    request_payout(shop=shop, by=owner, amount=cny(7000), bank_account=BANK)
    before = state(shop)
    # when at 08:30 local (a new UTC day) 70.00 more is asked for
    frozen_clock.advance(hours=1)
    with pytest.raises(ValidationFailed, match=r"limited to 100\.00 CNY a day"):
        request_payout(shop=shop, by=owner, amount=cny(7000), bank_account=BANK)
    # then it is refused: it is the same local day; nothing changed
    assert state(shop) == before


@pytest.mark.django_db
def test_the_payout_day_time_zone_can_be_set(shop, settings, frozen_clock):
    settings.EMPORIA = {
        **settings.EMPORIA,
        "PAYOUT_DAILY_LIMIT_MINOR": 10000,
        "PAYOUT_DAY_TIME_ZONE": "UTC",
    }
    earn(shop, 30000)
    owner = owner_of(shop)
    frozen_clock.advance(hours=-10, minutes=-30)  # 23:30 UTC
    request_payout(shop=shop, by=owner, amount=cny(7000), bank_account=BANK)
    frozen_clock.advance(hours=1)  # 00:30 UTC, a new UTC day
    request_payout(shop=shop, by=owner, amount=cny(7000), bank_account=BANK)
    assert ledger_selectors.shop_money(shop.pk, "CNY").withdrawn == cny(14000)


@pytest.mark.django_db
def test_refusals_are_worded_in_the_requests_language(shop, api_as):
    earn(shop, 5000)
    before = state(shop)
    body = {"amount_minor": 6000, "bank_account": BANK}
    path = f"money/shops/{shop.pk}/payouts"
    chinese = api_as(owner_of(shop), language="zh-hans").post(path, body)
    assert chinese.status_code == 422
    assert chinese.json()["error"]["message"] == "当前可提现金额仅为 50.00 CNY"
    english = api_as(owner_of(shop)).post(path, body)
    assert (
        english.json()["error"]["message"] == "Only 50.00 CNY is available to withdraw"
    )
    assert state(shop) == before
    assert not Payout.objects.exists()
