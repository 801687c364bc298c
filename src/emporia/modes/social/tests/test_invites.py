"""Invite rewards — 邀请有礼: binding, the reward, every abuse rule, caps."""

import datetime as dt

import pytest

from emporia.core.ledger import selectors as ledger
from emporia.core.ledger.models import JournalEntry
from emporia.infra.outbox.models import OutboxEvent
from emporia.infra.outbox.services import dispatch, relay_pending
from emporia.kernel.errors import Conflict, NotFound
from emporia.modes.social.models import Invite, InviteReward, ReferralCode
from emporia.modes.social.selectors import invites as invite_selectors
from emporia.modes.social.services import invites

from .growth_helpers import buy_and_complete, sign_up

pytestmark = pytest.mark.django_db

MARKETING = "platform:marketing:CNY"


def credit(user):
    return ledger.balance(f"user:{user.pk}:credit:CNY").minor


def invited_pair(inviter_name="Alice", invitee_name="Bob", **invitee_context):
    inviter = sign_up(inviter_name, device_id="device-inviter-0001")
    code = invites.referral_code_for(user=inviter).code
    invitee = sign_up(
        invitee_name,
        referral_code=code,
        device_id=invitee_context.pop("device_id", f"device-{invitee_name}-0002"),
        **invitee_context,
    )
    return inviter, invitee


def test_every_buyer_gets_one_short_unique_code(user_factory):
    a, b = user_factory(), user_factory()

    code_a = invites.referral_code_for(user=a)

    assert invites.referral_code_for(user=a) == code_a
    assert len(code_a.code) == 8
    assert set(code_a.code) <= set(invites.CODE_ALPHABET)
    assert invites.referral_code_for(user=b).code != code_a.code


def test_a_visitor_signing_up_through_the_link_is_bound_to_the_inviter():
    inviter, invitee = invited_pair()

    invite = Invite.objects.get(invitee=invitee)
    assert invite.inviter == inviter
    assert (invite.channel, invite.status) == ("link", "joined")
    assert invite.code == ReferralCode.objects.get(user=inviter).code


def test_an_unknown_code_at_signup_is_ignored_and_signing_up_still_works():
    user = sign_up("Carol", referral_code="NOSUCH99")

    assert user.pk
    assert not Invite.objects.exists()


def test_the_first_touch_wins_and_a_second_code_is_refused(frozen_clock):
    first, invitee = invited_pair()
    other = sign_up("Dave")

    with pytest.raises(Conflict):
        invites.enter_invite_code(
            user=invitee, code=invites.referral_code_for(user=other).code
        )

    assert Invite.objects.get(invitee=invitee).inviter == first
    assert Invite.objects.count() == 1


def test_the_inviter_is_rewarded_once_when_the_first_order_completes(
    listed_sku, address_factory, sandbox
):
    inviter, invitee = invited_pair()
    sku = listed_sku("30.00")
    address = address_factory(user=invitee, line1="1 Invitee Road", phone="13800000002")

    order = buy_and_complete(sandbox, invitee, sku, address=address)

    reward = InviteReward.objects.get()
    assert (reward.outcome, reward.amount_minor, reward.order_id) == (
        "rewarded",
        500,
        order.pk,
    )
    assert credit(inviter) == 500
    assert ledger.balance(MARKETING).minor == 500
    entry = JournalEntry.objects.get(kind="invite_reward")
    legs = sorted(
        (p.account.code, p.debit_minor, p.credit_minor) for p in entry.postings.all()
    )
    assert legs == [(MARKETING, 500, 0), (f"user:{inviter.pk}:credit:CNY", 0, 500)]
    assert Invite.objects.get().status == "rewarded"


def test_a_replayed_event_and_a_second_order_change_nothing(
    listed_sku, address_factory, sandbox
):
    inviter, invitee = invited_pair()
    sku = listed_sku("30.00")
    address = address_factory(user=invitee, line1="1 Invitee Road", phone="13800000002")
    order = buy_and_complete(sandbox, invitee, sku, address=address)
    completed = OutboxEvent.objects.get(
        topic="orders.order_completed", payload__order_id=order.pk
    )

    completed.runs.all().delete()  # as if the relay crashed after the handler
    dispatch(completed)
    invites.decide_reward(invitee_id=invitee.pk, order_id=order.pk)
    buy_and_complete(sandbox, invitee, sku, address=address)

    assert InviteReward.objects.count() == 1
    assert JournalEntry.objects.filter(kind="invite_reward").count() == 1
    assert credit(inviter) == 500


def test_an_order_not_yet_completed_rewards_nothing(
    listed_sku, address_factory, sandbox
):
    inviter, invitee = invited_pair()

    result = invites.decide_reward(invitee_id=invitee.pk, order_id=999999)

    assert result is None
    assert not InviteReward.objects.exists()
    assert credit(inviter) == 0


def test_typing_ones_own_code_is_blocked_and_recorded(user_factory):
    user = sign_up("Eve")

    invite = invites.enter_invite_code(
        user=user, code=invites.referral_code_for(user=user).code
    )

    assert invite.status == "blocked"
    assert invite.reward.reason == "self_referral"
    assert credit(user) == 0


def test_a_cycle_of_invites_is_blocked_and_recorded(frozen_clock):
    a = sign_up("Ann")
    b = sign_up("Ben", referral_code=invites.referral_code_for(user=a).code)

    back = invites.enter_invite_code(
        user=a, code=invites.referral_code_for(user=b).code
    )

    assert back.inviter == b
    assert back.status == "blocked"
    assert back.reward.reason == "cycle"
    assert Invite.objects.get(invitee=b).status == "joined"


def test_a_farm_on_the_inviters_device_is_blocked(listed_sku, address_factory, sandbox):
    inviter, invitee = invited_pair(device_id="device-inviter-0001")
    address = address_factory(user=invitee, line1="9 Other St", phone="13900000009")

    buy_and_complete(sandbox, invitee, listed_sku("30.00"), address=address)

    reward = InviteReward.objects.get()
    assert (reward.outcome, reward.reason) == ("blocked", "same_device")
    assert credit(inviter) == 0
    assert not JournalEntry.objects.filter(kind="invite_reward").exists()


def test_shipping_to_the_inviters_address_is_blocked(
    listed_sku, address_factory, sandbox
):
    inviter, invitee = invited_pair()
    address_factory(user=inviter, line1="88 Farm Lane", phone="13700000001")
    same = address_factory(user=invitee, line1="88  farm lane", phone="13600000006")

    buy_and_complete(sandbox, invitee, listed_sku("30.00"), address=same)

    assert InviteReward.objects.get().reason == "same_address"
    assert credit(inviter) == 0


def test_paying_from_the_inviters_payment_account_is_blocked(
    listed_sku, address_factory, sandbox
):
    inviter, invitee = invited_pair()
    sku = listed_sku("30.00")
    buy_and_complete(
        sandbox,
        inviter,
        sku,
        address=address_factory(user=inviter, line1="1 A St", phone="13100000001"),
        payer_account="alipay-2088-shared",
    )

    buy_and_complete(
        sandbox,
        invitee,
        sku,
        address=address_factory(user=invitee, line1="2 B St", phone="13200000002"),
        payer_account="alipay-2088-shared",
    )

    assert InviteReward.objects.get().reason == "same_payment_account"
    assert credit(inviter) == 0


def test_the_daily_cap_holds_and_a_new_day_resets_it(
    listed_sku, address_factory, sandbox, frozen_clock, settings
):
    settings.EMPORIA = {**settings.EMPORIA, "SOCIAL_INVITES": {"daily_cap": 2}}
    inviter = sign_up("Grace", device_id="device-grace-0001")
    code = invites.referral_code_for(user=inviter).code
    sku = listed_sku("30.00", quantity=20)
    friends = [sign_up(f"Friend {i}", referral_code=code) for i in range(4)]

    for i, friend in enumerate(friends[:3]):
        buy_and_complete(
            sandbox,
            friend,
            sku,
            address=address_factory(
                user=friend, line1=f"{i} Road", phone=f"1500000000{i}"
            ),
        )
    frozen_clock.advance(days=1)
    buy_and_complete(
        sandbox,
        friends[3],
        sku,
        address=address_factory(user=friends[3], line1="3 Road", phone="15000000003"),
    )

    outcomes = list(
        InviteReward.objects.order_by("id").values_list("outcome", "reason", "day")
    )
    day1 = invites.local_day(frozen_clock.current - dt.timedelta(days=1))
    day2 = invites.local_day()
    assert outcomes == [
        ("rewarded", "", day1),
        ("rewarded", "", day1),
        ("blocked", "daily_cap", day1),
        ("rewarded", "", day2),
    ]
    assert credit(inviter) == 1500


def test_the_total_cap_holds(listed_sku, address_factory, sandbox, settings):
    settings.EMPORIA = {**settings.EMPORIA, "SOCIAL_INVITES": {"total_cap": 1}}
    inviter = sign_up("Heidi")
    code = invites.referral_code_for(user=inviter).code
    sku = listed_sku("30.00")
    friends = [sign_up(f"Pal {i}", referral_code=code) for i in range(2)]

    for i, friend in enumerate(friends):
        buy_and_complete(
            sandbox,
            friend,
            sku,
            address=address_factory(
                user=friend, line1=f"{i} Lane", phone=f"1510000000{i}"
            ),
        )

    assert list(
        InviteReward.objects.order_by("id").values_list("reason", flat=True)
    ) == [
        "",
        "total_cap",
    ]
    assert credit(inviter) == 500


def test_a_code_can_be_typed_in_only_during_the_first_week(frozen_clock):
    inviter = sign_up("Ivan")
    late = sign_up("Judy")
    frozen_clock.advance(days=8)

    with pytest.raises(Conflict):
        invites.enter_invite_code(
            user=late, code=invites.referral_code_for(user=inviter).code
        )

    assert not Invite.objects.exists()


def test_an_unknown_code_typed_in_is_not_found():
    user = sign_up("Ken")

    with pytest.raises(NotFound):
        invites.enter_invite_code(user=user, code="ZZZZ2222")

    assert not Invite.objects.exists()


def test_the_invite_page_hides_the_reason_and_names(
    listed_sku, address_factory, sandbox
):
    inviter, invitee = invited_pair(
        invitee_name="Bob Smith", device_id="device-inviter-0001"
    )
    buy_and_complete(
        sandbox, invitee, listed_sku("30.00"), address=address_factory(user=invitee)
    )

    page = invite_selectors.invite_page(user=inviter)

    assert [(r.name, r.status, r.reward) for r in page.invitees] == [
        ("B***h", "blocked", None)
    ]
    assert page.balance.minor == 0
    assert page.path == f"/i/{page.code}/"


def test_invite_stats_count_invites_rewards_and_cost_per_day(
    listed_sku, address_factory, sandbox, frozen_clock
):
    inviter, invitee = invited_pair()
    sign_up(
        "Blocked Guy",
        referral_code=invites.referral_code_for(user=inviter).code,
        device_id="device-inviter-0001",
    )
    buy_and_complete(
        sandbox,
        invitee,
        listed_sku("30.00"),
        address=address_factory(user=invitee, line1="5 Road", phone="13500000005"),
    )
    today = invites.local_day()

    stats = invite_selectors.invite_stats(start=today - dt.timedelta(days=1), end=today)

    assert [(s.invites, s.rewarded, s.blocked, s.cost.minor) for s in stats] == [
        (0, 0, 0, 0),
        (2, 1, 0, 500),
    ]
    relay_pending()
