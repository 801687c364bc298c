"""Groups that fill, groups that expire and refund, and the rules on seats."""

from __future__ import annotations

import uuid

import pytest

from emporia.core.checkout import services as checkout
from emporia.core.inventory.models import StockItem
from emporia.core.ledger import selectors as ledger_selectors
from emporia.core.ledger import services as ledger
from emporia.core.orders import services as order_services
from emporia.core.orders.models import Order
from emporia.core.payments.models import Payment, Refund
from emporia.infra.jobs.registry import jobs
from emporia.infra.outbox.services import relay_pending
from emporia.kernel.errors import Conflict, NotFound, ValidationFailed
from emporia.kernel.money import Money
from emporia.modes.social.models import Group, GroupChange, GroupMember
from emporia.modes.social.services import groups

pytestmark = pytest.mark.django_db


def _state(campaign):
    campaign.refresh_from_db()
    item = StockItem.objects.get(sku=campaign.sku)
    return {
        "units_claimed": campaign.units_claimed,
        "groups": list(Group.objects.values_list("seats_taken", "status")),
        "members": GroupMember.objects.count(),
        "orders": Order.objects.count(),
        "payments": Payment.objects.count(),
        "stock": (item.on_hand, item.reserved),
    }


def test_a_group_fills_when_the_last_member_pays_and_all_orders_are_released_together(
    frozen_clock, campaign_for, start, join, pay
):
    campaign = campaign_for(team_size=3)
    leader = pay(start(campaign))
    group = leader.member.group

    assert leader.member.order.status == "on_hold"
    assert leader.member.order.hold_reason == "group forming"
    assert leader.member.order.total_minor == 1990 + 800
    assert [r["code"] for r in leader.member.order.lines.get().price_reasons] == [
        "list_price",
        "group_price",
    ]

    second = pay(join(group))
    assert second.member.order.status == "on_hold"
    group.refresh_from_db()
    assert (group.status, group.paid_count, group.seats_taken) == ("forming", 2, 2)

    third = pay(join(group))

    group.refresh_from_db()
    assert (group.status, group.paid_count, group.seats_left) == ("filled", 3, 0)
    statuses = [
        Order.objects.get(pk=j.member.order_id).status for j in (leader, second, third)
    ]
    assert statuses == ["paid", "paid", "paid"]
    assert list(group.history.values_list("from_status", "to_status")) == [
        ("", "forming"),
        ("forming", "filled"),
    ]
    assert set(GroupMember.objects.values_list("status", flat=True)) == {"paid"}
    item = StockItem.objects.get(sku=campaign.sku)
    assert (item.on_hand, item.reserved) == (17, 0)


def test_a_group_short_at_the_deadline_is_refunded_in_full_automatically(
    frozen_clock, campaign_for, start, join, pay
):
    campaign = campaign_for(team_size=3, window_minutes=60)
    leader = pay(start(campaign))
    group = leader.member.group
    second = pay(join(group))
    unpaid = join(group)
    shop_id = campaign.shop_id
    escrow = ledger.shop_account(shop_id, "escrow", "CNY")
    clearing = ledger.platform_account("psp_clearing", "CNY")
    assert ledger_selectors.balance(escrow) == Money(2 * 2790, "CNY")

    frozen_clock.advance(minutes=59)
    assert groups.close_due_groups() == 0
    frozen_clock.advance(minutes=1)
    assert groups.close_due_groups() == 1
    relay_pending()

    group.refresh_from_db()
    assert group.status == "failed"
    orders = {
        j.member.order_id: Order.objects.get(pk=j.member.order_id)
        for j in (leader, second, unpaid)
    }
    assert [o.status for o in orders.values()] == ["refunded", "refunded", "cancelled"]
    assert sorted(Refund.objects.values_list("order_id", "amount_minor")) == [
        (leader.member.order_id, 2790),
        (second.member.order_id, 2790),
    ]
    assert ledger_selectors.balance(escrow) == Money(0, "CNY")
    assert ledger_selectors.balance(clearing) == Money(0, "CNY")
    for order in orders.values():
        assert order_services.escrow_held(order) == Money(0, "CNY")
    item = StockItem.objects.get(sku=campaign.sku)
    assert (item.on_hand, item.reserved) == (20, 0)
    campaign.refresh_from_db()
    assert campaign.units_claimed == 0
    assert sorted(GroupMember.objects.values_list("status", flat=True)) == [
        "lapsed",
        "refunded",
        "refunded",
    ]
    assert GroupChange.objects.filter(group=group, to_status="failed").get().reason == (
        "2 of 3 paid when the window closed"
    )
    # Running the timer again changes nothing.
    assert groups.close_due_groups() == 0
    assert Refund.objects.count() == 2


def test_all_paid_in_time_fills_even_when_the_timer_runs_before_the_handler(
    frozen_clock, campaign_for, start, join, sandbox
):
    campaign = campaign_for(team_size=2, window_minutes=30)
    first, second = start(campaign), None
    sandbox.pay(first.payment)
    second = join(first.member.group)
    frozen_clock.advance(minutes=29)
    sandbox.pay(second.payment)
    frozen_clock.advance(minutes=5)

    groups.close_due_groups()  # before the order_paid events were relayed
    relay_pending()

    group = Group.objects.get()
    assert group.status == "filled"
    assert set(Order.objects.values_list("status", flat=True)) == {"paid"}
    assert not Refund.objects.exists()


def test_the_same_buyer_cannot_join_a_group_twice(
    campaign_for, start, join, pay, group_buyer
):
    campaign = campaign_for(team_size=3, per_buyer_limit=5)
    buyer = group_buyer()
    group = pay(start(campaign)).member.group
    join(group, buyer=buyer)
    before = _state(campaign)

    with pytest.raises(Conflict) as refused:
        join(group, buyer=buyer)

    assert refused.value.code == "already_joined"
    assert _state(campaign) == before


def test_the_leader_cannot_take_a_second_seat_in_their_own_group(
    campaign_for, start, join, pay, group_buyer
):
    campaign = campaign_for(team_size=3, per_buyer_limit=5)
    buyer = group_buyer()
    leader = pay(start(campaign, buyer=buyer))
    before = _state(campaign)

    with pytest.raises(Conflict) as refused:
        join(leader.member.group, buyer=buyer)

    assert refused.value.code == "already_joined"
    assert _state(campaign) == before


def test_a_full_group_refuses_the_next_buyer_before_any_money_moves(
    campaign_for, start, join, pay
):
    campaign = campaign_for(team_size=2)
    group = pay(start(campaign)).member.group
    join(group)  # the last seat, payment pending
    before = _state(campaign)

    with pytest.raises(Conflict) as refused:
        join(group)

    assert refused.value.code == "group_full"
    assert refused.value.details == {"campaign_id": campaign.pk}
    assert _state(campaign) == before


def test_a_seat_not_paid_in_time_is_given_back(
    frozen_clock, campaign_for, start, join, pay
):
    campaign = campaign_for(team_size=2, window_minutes=24 * 60)
    group = pay(start(campaign)).member.group
    squatter = join(group)
    frozen_clock.advance(minutes=31)

    order_services.cancel_overdue_unpaid()
    relay_pending()

    group.refresh_from_db()
    squatter.member.refresh_from_db()
    assert (group.seats_taken, group.status) == (1, "forming")
    assert squatter.member.status == "lapsed"
    campaign.refresh_from_db()
    assert campaign.units_claimed == 1
    pay(join(group))
    group.refresh_from_db()
    assert group.status == "filled"


def test_the_per_buyer_limit_counts_every_group_of_the_campaign(
    campaign_for, start, join, pay, group_buyer
):
    campaign = campaign_for(team_size=3, per_buyer_limit=2)
    buyer = group_buyer()
    pay(start(campaign, buyer=buyer))
    other_group = pay(start(campaign)).member.group
    join(other_group, buyer=buyer)
    before = _state(campaign)

    with pytest.raises(Conflict) as refused:
        start(campaign, buyer=buyer)

    assert refused.value.code == "per_buyer_limit"
    assert refused.value.details == {"limit": 2, "held": 2}
    assert _state(campaign) == before


def test_the_stock_cap_stops_the_campaign_not_the_shop(
    campaign_for, start, join, pay, listed_sku
):
    campaign = campaign_for(team_size=2, stock_cap=3, per_buyer_limit=2)
    group = pay(start(campaign, quantity=2)).member.group
    before = _state(campaign)

    with pytest.raises(Conflict) as refused:
        join(group, quantity=2)

    assert refused.value.code == "campaign_sold_out"
    assert _state(campaign) == before
    pay(join(group, quantity=1))
    campaign.refresh_from_db()
    assert campaign.units_claimed == campaign.stock_cap == 3


def test_a_paused_campaign_starts_no_group_but_lets_open_groups_fill(
    campaign_for, start, join, pay
):
    campaign = campaign_for(team_size=2)
    group = pay(start(campaign)).member.group
    owner = campaign.created_by
    groups.set_campaign_status(campaign=campaign, status="paused", actor=owner)

    with pytest.raises(Conflict) as refused:
        start(campaign)
    pay(join(group))

    assert refused.value.code == "campaign_closed"
    group.refresh_from_db()
    assert group.status == "filled"
    assert list(campaign.history.values_list("to_status", "actor")) == [
        ("active", owner.pk),
        ("paused", owner.pk),
    ]


def test_a_replayed_join_returns_the_first_seat(campaign_for, start, group_buyer):
    campaign = campaign_for(team_size=3)
    group = start(campaign).member.group
    buyer = group_buyer()
    kwargs = dict(
        buyer=buyer,
        group=group,
        idempotency_key="tap-twice",
        address_id=buyer.default_address.pk,
    )

    first = groups.join_group(**kwargs)
    again = groups.join_group(**kwargs)

    assert again.replayed is True
    assert again.member.pk == first.member.pk
    assert again.payment.pk == first.payment.pk
    assert GroupMember.objects.filter(buyer=buyer).count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("group_price", "30.00"),
        ("group_price", "0"),
        ("group_price", "abc"),
        ("team_size", 1),
        ("window_minutes", 5),
        ("stock_cap", 0),
        ("per_buyer_limit", 0),
    ],
)
def test_a_campaign_with_bad_numbers_is_refused(listed_sku, field, value):
    sku = listed_sku("30.00")
    shop = sku.product.shop
    good = dict(
        group_price="19.90",
        team_size=3,
        window_minutes=60,
        stock_cap=10,
        per_buyer_limit=2,
    )

    with pytest.raises(ValidationFailed) as refused:
        groups.create_campaign(
            shop=shop, actor=None, sku_id=sku.pk, **{**good, field: value}
        )

    assert refused.value.details["field"] == field
    assert not shop.group_campaigns.exists()


def test_a_shop_cannot_run_a_campaign_on_another_shops_sku(listed_sku, shop_factory):
    other = listed_sku("30.00")
    mine = shop_factory()

    with pytest.raises(NotFound):
        groups.create_campaign(
            shop=mine,
            actor=None,
            sku_id=other.pk,
            group_price="10",
            team_size=2,
            window_minutes=60,
            stock_cap=5,
            per_buyer_limit=1,
        )

    assert not mine.group_campaigns.exists()


def test_a_solo_purchase_of_the_same_sku_pays_the_solo_price(
    campaign_for, place, shopper
):
    campaign = campaign_for()

    placed = checkout.place_order(
        buyer=shopper,
        idempotency_key=uuid.uuid4().hex,
        lines=[checkout.WantedLine(campaign.sku_id, 1)],
        address_id=shopper.default_address.pk,
    )

    assert placed.orders[0].items_minor == 3000
    assert placed.orders[0].hold_on_payment == ""


def test_an_unpaid_seat_is_freed_after_the_group_seat_hold(
    frozen_clock, campaign_for, start, join, pay, settings
):
    # Given a two-person group with a paid leader and a joiner who walked away
    settings.EMPORIA = {**settings.EMPORIA, "SOCIAL_GROUP_SEAT_HOLD_MINUTES": 10}
    campaign = campaign_for(team_size=2, window_minutes=24 * 60)
    group = pay(start(campaign)).member.group
    squatter = join(group)
    frozen_clock.advance(minutes=9, seconds=59)

    # When the job runs before the hold is over, nothing changes
    assert groups.release_unpaid_seats() == 0
    group.refresh_from_db()
    assert group.seats_taken == 2

    # When it runs at ten minutes
    frozen_clock.advance(seconds=1)
    assert groups.release_unpaid_seats() == 1
    assert groups.release_unpaid_seats() == 0  # idempotent

    # Then the order is cancelled, its stock released and the seat free
    squatter.member.refresh_from_db()
    order = squatter.member.order
    order.refresh_from_db()
    group.refresh_from_db()
    campaign.refresh_from_db()
    assert order.status == "cancelled"
    assert order.history.order_by("pk").last().reason == (
        "Group seat not paid within 10 minutes"
    )
    assert squatter.member.status == "lapsed"
    assert (group.seats_taken, group.status) == (1, "forming")
    assert campaign.units_claimed == 1
    assert StockItem.objects.get(sku=campaign.sku).reserved == 0
    # And someone else can take the seat and fill the group
    pay(join(group))
    group.refresh_from_db()
    assert group.status == "filled"


def test_a_seat_paid_within_the_hold_is_kept(frozen_clock, campaign_for, start, pay):
    campaign = campaign_for(team_size=3)
    leader = start(campaign)
    frozen_clock.advance(minutes=9)
    pay(leader)
    frozen_clock.advance(minutes=5)

    assert groups.release_unpaid_seats() == 0

    leader.member.refresh_from_db()
    assert leader.member.status == "paid"
    assert leader.member.group.seats_taken == 1


def test_the_seat_hold_runs_as_a_periodic_job():
    job = jobs.get("social.release_unpaid_group_seats")

    assert job is not None
    assert job.every_seconds == 30
