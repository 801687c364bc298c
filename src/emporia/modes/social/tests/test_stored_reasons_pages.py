"""Social commerce's stored reasons on Chinese pages: a campaign's history, a
group member's order timeline (a reason inside a reason), the invite
reward's ledger line. Stored text stays English."""

from __future__ import annotations

import pytest

from emporia.core.accounts.models import ShopMember
from emporia.core.orders.models import OrderStatusChange
from emporia.infra.testing.pages import page_text
from emporia.modes.social.services import groups, invites

from .growth_helpers import buy_and_complete, sign_up

pytestmark = pytest.mark.django_db


def test_a_campaigns_history_reads_in_chinese(campaign_for):
    campaign = campaign_for()
    owner = ShopMember.objects.get(shop_id=campaign.shop_id).user
    groups.set_campaign_status(campaign=campaign, status="paused", actor=owner)

    page = page_text(owner, f"/seller/{campaign.shop_id}/groups/{campaign.pk}/")

    assert "拼团活动已创建" in page
    assert "拼团活动已暂停" in page
    assert "Campaign paused" not in page
    assert list(campaign.history.order_by("pk").values_list("reason", flat=True)) == [
        "Campaign created",
        "Campaign paused",
    ]


def test_a_group_members_order_reads_held_while_forming_then_filled(
    campaign_for, start, join, pay
):
    campaign = campaign_for(team_size=2)
    leader = pay(start(campaign))
    pay(join(leader.member.group))
    order = leader.member.order

    page = page_text(order.buyer, f"/account/orders/{order.pk}/")

    assert "买家已付款；订单暂缓：拼团中" in page
    assert "拼团成功" in page
    assert "group forming" not in page
    reasons = list(
        OrderStatusChange.objects.filter(order=order).values_list("reason", flat=True)
    )
    assert reasons[1:] == ["Payment captured; on hold: group forming", "Group filled"]


def test_the_invite_reward_reads_in_chinese_on_the_invite_page(
    listed_sku, address_factory, sandbox
):
    inviter = sign_up("Alice", device_id="device-inviter-0001")
    invitee = sign_up(
        "Bob",
        referral_code=invites.referral_code_for(user=inviter).code,
        device_id="device-bob-0002",
    )
    address = address_factory(user=invitee, line1="1 Invitee Road", phone="13800000002")
    buy_and_complete(sandbox, invitee, listed_sku("30.00"), address=address)

    page = page_text(inviter, "/account/invites/")

    assert "邀请奖励：Bob 完成了订单" in page
    assert "Invite reward: Bob" not in page
