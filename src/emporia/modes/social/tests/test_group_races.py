"""Exactly N members however many buyers press "join" or pay at the same
moment: real threads on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest
from django.urls import resolve

from emporia.core.ledger.models import JournalEntry
from emporia.core.orders.models import Order
from emporia.core.payments.models import Payment, Refund
from emporia.infra.outbox.services import relay_pending
from emporia.infra.psp.sandbox import services as sandbox_gateway
from emporia.modes.social.models import Group, GroupChange, GroupMember
from emporia.modes.social.services import groups
from tests.concurrency import race

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def _pay(payment) -> None:
    token = resolve(urlsplit(payment.redirect_url).path).kwargs["token"]
    sandbox_gateway.pay(token)


def test_twelve_buyers_racing_for_the_last_seat_make_exactly_one_member(
    campaign_for, start, join, pay, group_buyer
):
    campaign = campaign_for(team_size=3, stock=30)
    group = pay(start(campaign)).member.group
    join(group)  # one seat left
    racers = [group_buyer() for _ in range(12)]

    def take_last_seat(i):
        groups.join_group(
            buyer=racers[i],
            group=group,
            idempotency_key=uuid.uuid4().hex,
            address_id=racers[i].default_address.pk,
        )
        return "joined"

    outcomes = race(12, take_last_seat, expected=(groups.Conflict,))

    assert sorted(outcomes) == ["Conflict"] * 11 + ["joined"]
    group.refresh_from_db()
    assert (group.seats_taken, group.size) == (3, 3)
    assert GroupMember.objects.filter(group=group).count() == 3
    assert Order.objects.count() == Payment.objects.count() == 3
    campaign.refresh_from_db()
    assert campaign.units_claimed == 3


def test_all_members_paying_at_once_fill_the_group_once_with_no_double_charge(
    campaign_for, start, join
):
    campaign = campaign_for(team_size=4, stock=10)
    first = start(campaign)
    joined = [first] + [join(first.member.group) for _ in range(3)]

    race(4, lambda i: _pay(joined[i].payment))
    race(3, lambda i: relay_pending())
    relay_pending()

    group = Group.objects.get()
    assert (group.status, group.paid_count) == ("filled", 4)
    assert GroupChange.objects.filter(group=group, to_status="filled").count() == 1
    assert list(Order.objects.values_list("status", flat=True)) == ["paid"] * 4
    assert JournalEntry.objects.filter(kind="payment_capture").count() == 4
    assert not Refund.objects.exists()


def test_sixteen_buyers_racing_into_a_pair_group_leave_no_group_overfull(
    campaign_for, start, group_buyer, pay
):
    campaign = campaign_for(team_size=2, stock=40, stock_cap=40)
    opened = [pay(start(campaign)).member.group for _ in range(4)]
    racers = [group_buyer() for _ in range(16)]

    def join_any(i):
        for group in opened[i % 4 :] + opened[: i % 4]:
            try:
                groups.join_group(
                    buyer=racers[i],
                    group=group,
                    idempotency_key=uuid.uuid4().hex,
                    address_id=racers[i].default_address.pk,
                )
                return "joined"
            except groups.Conflict:
                continue
        return "no seat"

    outcomes = race(16, join_any)

    assert sorted(outcomes) == ["joined"] * 4 + ["no seat"] * 12
    for group in Group.objects.all():
        assert group.seats_taken == group.members.count() == 2
