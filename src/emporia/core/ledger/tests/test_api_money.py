"""/api/money/: shop staff see their shop's money; owners request payouts."""

import pytest

from emporia.core.accounts.models import ShopMember
from emporia.core.ledger.models import JournalEntry
from emporia.core.ledger.services import Leg, platform_account, post, shop_account
from emporia.core.payments.models import Payout
from emporia.kernel.money import Money

pytestmark = pytest.mark.django_db


def cny(minor):
    return Money(minor, "CNY")


@pytest.fixture
def owner(shop):
    return shop.members.get(role=ShopMember.Role.OWNER).user


@pytest.fixture
def staff(shop, user_factory):
    user = user_factory()
    ShopMember.objects.create(shop=shop, user=user, role=ShopMember.Role.STAFF)
    return user


@pytest.fixture
def funded(shop):
    escrow = shop_account(shop.pk, "escrow", "CNY")
    post(
        key="capture:1",
        kind="capture",
        memo="order 1 paid",
        ref="order:1",
        legs=[
            Leg.debit(platform_account("psp_clearing", "CNY"), cny(20000)),
            Leg.credit(escrow, cny(20000)),
        ],
    )
    post(
        key="release:1",
        kind="release",
        ref="order:1",
        legs=[
            Leg.debit(escrow, cny(15000)),
            Leg.credit(shop_account(shop.pk, "payable", "CNY"), cny(14250)),
            Leg.credit(platform_account("commission", "CNY"), cny(750)),
        ],
    )
    return shop


def test_staff_see_held_available_and_withdrawn(api_as, funded, staff):
    res = api_as(staff).get(f"money/shops/{funded.pk}/balance")
    assert res.status_code == 200
    assert res.json() == {
        "shop_id": funded.pk,
        "currency": "CNY",
        "held": {"minor": 5000, "currency": "CNY", "amount": "50.00"},
        "available": {"minor": 14250, "currency": "CNY", "amount": "142.50"},
        "withdrawn": {"minor": 0, "currency": "CNY", "amount": "0.00"},
    }


def test_staff_page_through_ledger_lines(api_as, funded, staff):
    res = api_as(staff).get(
        f"money/shops/{funded.pk}/ledger", {"limit": 2, "offset": 1}
    )
    assert res.status_code == 200
    body = res.json()
    assert (body["count"], body["limit"], body["offset"]) == (3, 2, 1)
    assert [
        (i["kind"], i["account"], i["debit"]["minor"], i["credit"]["minor"])
        for i in body["items"]
    ] == [("release", "escrow", 15000, 0), ("capture", "escrow", 0, 20000)]
    assert body["items"][1]["memo"] == "order 1 paid"


@pytest.mark.parametrize(
    "path", ["balance", "ledger", "payouts"], ids=["balance", "ledger", "payouts"]
)
def test_other_users_get_404(api_as, funded, user_factory, path):
    res = api_as(user_factory()).get(f"money/shops/{funded.pk}/{path}")
    assert res.status_code == 404
    assert res.json()["error"]["code"] == "not_found"


def test_anonymous_gets_401(api_as, funded):
    assert api_as().get(f"money/shops/{funded.pk}/balance").status_code == 401


def test_owner_requests_and_lists_payouts(api_as, funded, owner):
    client = api_as(owner)
    res = client.post(
        f"money/shops/{funded.pk}/payouts",
        {"amount_minor": 10000, "bank_account": "6222021234567890", "key": "a1"},
    )
    assert res.status_code == 201, res.content
    assert res.json()["amount"] == {
        "minor": 10000,
        "currency": "CNY",
        "amount": "100.00",
    }
    assert res.json()["bank_account"] == "**** **** 7890"

    listed = client.get(f"money/shops/{funded.pk}/payouts").json()["items"]
    assert [p["amount"]["minor"] for p in listed] == [10000]
    balance = client.get(f"money/shops/{funded.pk}/balance").json()
    assert (balance["available"]["minor"], balance["withdrawn"]["minor"]) == (
        4250,
        10000,
    )

    again = client.post(
        f"money/shops/{funded.pk}/payouts",
        {"amount_minor": 1000, "bank_account": "6222021234567890", "key": "a1"},
    )
    assert again.status_code == 409


def test_staff_who_are_not_owners_cannot_request_payouts(api_as, funded, staff):
    res = api_as(staff).post(
        f"money/shops/{funded.pk}/payouts",
        {"amount_minor": 1000, "bank_account": "6222021234567890"},
    )
    assert res.status_code == 404
    assert Payout.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"amount_minor": 0, "bank_account": "6222021234567890"}, 422),
        ({"amount_minor": -5, "bank_account": "6222021234567890"}, 422),
        ({"amount_minor": 10**16, "bank_account": "6222021234567890"}, 422),
        ({"amount_minor": 1000, "bank_account": "12"}, 422),
        ({"amount_minor": 14251, "bank_account": "6222021234567890"}, 422),
        ({"amount_minor": 999, "bank_account": "6222021234567890"}, 422),
        (
            {
                "amount_minor": 1000,
                "bank_account": "6222021234567890",
                "currency": "XXY",
            },
            422,
        ),
        ({"amount_minor": "lots", "bank_account": "6222021234567890"}, 422),
        ({}, 422),
    ],
)
def test_bad_payout_requests_are_refused_and_change_nothing(
    api_as, funded, owner, body, status
):
    before = JournalEntry.objects.count()
    res = api_as(owner).post(f"money/shops/{funded.pk}/payouts", body)
    assert res.status_code == status, res.content
    assert "error" in res.json()
    assert (Payout.objects.count(), JournalEntry.objects.count()) == (0, before)


def test_malformed_json_is_a_400(api_as, funded, owner):
    res = api_as(owner).post(f"money/shops/{funded.pk}/payouts", raw="{not json")
    assert res.status_code == 400


def test_unknown_currency_in_query_is_422(api_as, funded, staff):
    res = api_as(staff).get(f"money/shops/{funded.pk}/balance", {"currency": "ZZZ"})
    assert res.status_code == 422


def test_operators_read_the_trial_balance(api_as, funded, operator):
    res = api_as(operator).get("money/trial-balance")
    assert res.status_code == 200
    body = res.json()
    assert body["totals"] == {
        "CNY": {"debit": 35000, "credit": 35000, "balanced": True}
    }
    assert [(a["account"], a["balance"]["minor"]) for a in body["accounts"]] == [
        ("platform:commission:CNY", 750),
        ("platform:psp_clearing:CNY", 20000),
        (f"shop:{funded.pk}:escrow:CNY", 5000),
        (f"shop:{funded.pk}:payable:CNY", 14250),
    ]


def test_the_trial_balance_is_hidden_from_shop_owners(api_as, funded, owner):
    assert api_as(owner).get("money/trial-balance").status_code == 404
