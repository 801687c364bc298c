"""The group-buy API: campaigns by shop staff, start, share, open a link,
join through it; forged, tampered and expired links; others refused; the
fission report's numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing

from emporia.core.accounts.models import ShopMember
from emporia.core.orders.models import Order
from emporia.infra.outbox.services import relay_pending
from emporia.modes.social.models import (
    GroupCampaign,
    GroupMember,
    GroupShare,
    ShareVisit,
)
from emporia.modes.social.services import shares

pytestmark = pytest.mark.django_db


def _owner(campaign):
    return ShopMember.objects.get(shop=campaign.shop).user


def test_shop_staff_create_a_campaign_and_strangers_are_refused(
    api_as, listed_sku, user_factory
):
    sku = listed_sku("30.00")
    owner = ShopMember.objects.get(shop=sku.product.shop).user
    body = {
        "shop_id": sku.product.shop_id,
        "sku_id": sku.pk,
        "group_price": "19.90",
        "team_size": 3,
        "window_minutes": 1440,
        "stock_cap": 50,
        "per_buyer_limit": 2,
    }

    stranger = api_as(user_factory()).post("social/groups/campaigns", body)
    created = api_as(owner).post("social/groups/campaigns", body)

    assert stranger.status_code == 404
    assert created.status_code == 201, created.content
    out = created.json()
    assert (out["group_price"]["minor"], out["solo_price"]["minor"]) == (1990, 3000)
    assert GroupCampaign.objects.count() == 1
    listed = api_as().get("social/groups/campaigns", {"product_id": sku.product_id})
    assert [c["id"] for c in listed.json()] == [out["id"]]


def test_a_campaign_price_above_solo_is_a_422_and_nothing_is_created(
    api_as, listed_sku
):
    sku = listed_sku("30.00")
    owner = ShopMember.objects.get(shop=sku.product.shop).user

    resp = api_as(owner).post(
        "social/groups/campaigns",
        {
            "shop_id": sku.product.shop_id,
            "sku_id": sku.pk,
            "group_price": "31",
            "team_size": 2,
            "stock_cap": 5,
        },
    )

    assert resp.status_code == 422
    assert resp.json()["error"]["details"]["field"] == "group_price"
    assert not GroupCampaign.objects.exists()


def test_start_share_visit_and_join_through_the_link(
    frozen_clock, api_as, campaign_for, group_buyer, sandbox
):
    campaign = campaign_for(team_size=2)
    leader, friend = group_buyer(), group_buyer()
    started = api_as(leader).post(
        "social/groups/start",
        {"campaign_id": campaign.pk, "address_id": leader.default_address.pk},
        headers={"Idempotency-Key": "start-1"},
    )
    assert started.status_code == 201, started.content
    ref = started.json()["group"]["ref"]
    assert started.json()["payment"]["amount"]["minor"] == 1990 + 800

    shared = api_as(leader).post(f"social/groups/{ref}/shares", {"channel": "wechat"})
    assert shared.status_code == 201, shared.content
    token = shared.json()["token"]
    assert shared.json()["url"].endswith(f"/g/{token}/")

    anonymous = api_as()
    first = anonymous.get(f"social/groups/links/{token}")
    anonymous.get(f"social/groups/links/{token}")  # a reload counts once
    assert first.status_code == 200
    assert first.json()["joinable"] is True
    assert first.json()["seats_left"] == 1
    assert ShareVisit.objects.count() == 1

    joined = api_as(friend).post(
        f"social/groups/links/{token}/join",
        {"address_id": friend.default_address.pk},
        headers={"Idempotency-Key": "join-1"},
    )
    assert joined.status_code == 201, joined.content
    member = GroupMember.objects.get(buyer=friend)
    assert member.share == GroupShare.objects.get()

    for m in GroupMember.objects.all():
        sandbox.pay(m.order.payments.get())
    relay_pending()
    mine = api_as(friend).get(f"social/groups/{ref}").json()
    assert (mine["status"], mine["paid_count"]) == ("filled", 2)
    assert [m["you"] for m in mine["members"]] == [False, True]

    report = api_as(_owner(campaign)).get(
        f"social/groups/campaigns/{campaign.pk}/report",
        {"shop_id": campaign.shop_id},
    )
    assert report.status_code == 200, report.content
    r = report.json()
    assert r["totals"] == {
        "channel": "all",
        "shares": 1,
        "visits": 1,
        "joins": 1,
        "purchases": 1,
    }
    assert (r["buyers"], r["acquired_through_shares"]) == (2, 1)
    assert (r["invites_per_buyer"], r["invite_conversion"], r["k_factor"]) == (
        "0.50",
        "1.00",
        "0.50",
    )
    # Discount given: 2 seats × (30.00 − 19.90) for 1 acquired buyer.
    assert r["discount_given"]["minor"] == 2020
    assert r["group_cac"]["minor"] == 2020
    assert r["ad_cac_source"] == "setting"
    # No invite was rewarded: the platform-wide invite channel is empty.
    assert r["invite_channel"]["scope"] == "platform"
    assert (r["invite_channel"]["rewarded"], r["invite_channel"]["cac"]) == (0, None)


def test_a_tampered_link_is_a_404_and_changes_nothing(api_as, campaign_for, start):
    group = start(campaign_for()).member.group
    token = shares.token_for(group)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")

    resp = api_as().get(f"social/groups/links/{tampered}")

    assert resp.status_code == 404
    assert resp.json()["error"]["message"] == "This share link is not valid"
    assert not ShareVisit.objects.exists()


def test_a_forged_link_naming_a_real_group_is_a_404(
    api_as, campaign_for, start, group_buyer
):
    group = start(campaign_for()).member.group
    forged = signing.dumps(
        {"g": group.ref, "s": 0, "e": 2_000_000_000}, salt="guess", compress=True
    )
    buyer = group_buyer()

    seen = api_as().get(f"social/groups/links/{forged}")
    join = api_as(buyer).post(
        f"social/groups/links/{forged}/join",
        {"address_id": buyer.default_address.pk},
        headers={"Idempotency-Key": "k"},
    )

    assert (seen.status_code, join.status_code) == (404, 404)
    assert not GroupMember.objects.filter(buyer=buyer).exists()


def test_an_expired_link_is_a_410(frozen_clock, api_as, campaign_for, start):
    group = start(campaign_for(window_minutes=60)).member.group
    token = shares.token_for(group)
    frozen_clock.advance(minutes=60)
    frozen_clock.advance(days=7, seconds=1)

    resp = api_as().get(f"social/groups/links/{token}")

    assert resp.status_code == 410
    assert resp.json()["error"]["code"] == "share_link_expired"


def test_a_full_group_link_offers_open_groups_of_the_campaign(
    api_as, campaign_for, start, join, pay
):
    campaign = campaign_for(team_size=2)
    full = pay(start(campaign)).member.group
    pay(join(full))
    other = pay(start(campaign)).member.group

    resp = api_as().get(f"social/groups/links/{shares.token_for(full)}")

    out = resp.json()
    assert (out["status"], out["joinable"]) == ("filled", False)
    assert [g["seats_left"] for g in out["open_groups"]] == [1]
    assert out["open_groups"][0]["link"] == f"/g/{shares.token_for(other)}/"


def test_another_buyer_cannot_read_or_share_my_group(
    api_as, campaign_for, start, group_buyer
):
    group = start(campaign_for()).member.group
    stranger = api_as(group_buyer())

    read = stranger.get(f"social/groups/{group.ref}")
    share = stranger.post(f"social/groups/{group.ref}/shares", {"channel": "qq"})

    assert (read.status_code, share.status_code) == (404, 404)
    assert not GroupShare.objects.exists()


def test_another_shop_cannot_read_the_campaign_report(
    api_as, campaign_for, shop_factory
):
    campaign = campaign_for()
    other_shop = shop_factory()
    other_owner = ShopMember.objects.get(shop=other_shop).user

    resp = api_as(other_owner).get(
        f"social/groups/campaigns/{campaign.pk}/report", {"shop_id": other_shop.pk}
    )

    assert resp.status_code == 404


def test_a_join_after_the_window_is_refused_with_409(
    frozen_clock, api_as, campaign_for, start, group_buyer
):
    group = start(campaign_for(window_minutes=30)).member.group
    buyer = group_buyer()
    frozen_clock.advance(minutes=30, seconds=1)

    resp = api_as(buyer).post(
        f"social/groups/links/{shares.token_for(group)}/join",
        {"address_id": buyer.default_address.pk},
        headers={"Idempotency-Key": "late"},
    )

    assert resp.status_code == 409
    assert resp.json()["error"]["code"] == "group_closed"
    assert not GroupMember.objects.filter(buyer=buyer).exists()
    assert frozen_clock.current > group.expires_at - dt.timedelta(seconds=1)


def test_a_join_to_a_full_group_is_refused_in_chinese_and_nothing_is_written(
    api_as, campaign_for, start, join, group_buyer
):
    campaign = campaign_for(team_size=2)
    group = start(campaign).member.group
    join(group)
    buyer = group_buyer()
    orders_before = Order.objects.count()
    units_before = GroupCampaign.objects.get(pk=campaign.pk).units_claimed

    resp = api_as(buyer, language="zh-hans").post(
        f"social/groups/links/{shares.token_for(group)}/join",
        {"address_id": buyer.default_address.pk},
        headers={"Idempotency-Key": "too-late"},
    )

    assert resp.status_code == 409
    error = resp.json()["error"]
    assert error["code"] == "group_full"
    assert error["message"] == "该团已满员，请参与其他拼团或自己发起拼团"
    assert not GroupMember.objects.filter(buyer=buyer).exists()
    assert Order.objects.count() == orders_before
    group.refresh_from_db()
    assert group.seats_taken == 2
    assert GroupCampaign.objects.get(pk=campaign.pk).units_claimed == units_before


def test_an_ended_campaign_cannot_be_resumed_and_says_so_in_chinese(
    api_as, campaign_for
):
    campaign = campaign_for()
    owner = _owner(campaign)
    url = f"social/groups/campaigns/{campaign.pk}/status?shop_id={campaign.shop_id}"
    api_as(owner).post(url, {"status": "ended"})

    resp = api_as(owner, language="zh-hans").post(url, {"status": "active"})

    assert resp.status_code == 409
    assert resp.json()["error"]["message"] == "拼团活动无法从“已结束”变为“进行中”"
    campaign.refresh_from_db()
    assert campaign.status == "ended"
    assert campaign.history.count() == 2  # created, ended: no third row
