"""Group-buy pages render for the right people, in English and Chinese."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from emporia.core.accounts.models import ShopMember
from emporia.modes.social.models import GroupMember, GroupShare, ShareVisit
from emporia.modes.social.services import shares

pytestmark = pytest.mark.django_db


def _client(user=None, language="en"):
    c = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        c.force_login(user)
    return c


def test_the_product_page_offers_to_start_a_group_and_lists_open_groups(
    campaign_for, start, pay
):
    campaign = campaign_for(team_size=3)
    group = pay(start(campaign)).member.group

    html = _client().get(f"/p/{campaign.sku.product_id}/").content.decode()

    assert "Start a group at CN¥19.90 (3 people)" in html
    assert f"/groups/start/{campaign.pk}/" in html
    # the open group's link (signed with the second it was made: read it back)
    links = re.findall(r'href="/g/([^/"]+)/"', html)
    assert [shares.read_token(t)[0] for t in links] == [group]


def test_the_group_page_shows_masked_members_seats_and_a_countdown(
    frozen_clock, campaign_for, start, pay, group_buyer
):
    leader = group_buyer(display_name="Alice")
    campaign = campaign_for(team_size=3, window_minutes=90)
    group = pay(start(campaign, buyer=leader)).member.group

    resp = _client().get(f"/g/{shares.token_for(group)}/")

    html = resp.content.decode()
    assert resp.status_code == 200
    assert "A***e" in html
    assert "Alice" not in html
    assert 'data-seconds="5400"' in html
    assert "Log in to join" in html


def test_the_group_page_in_chinese(campaign_for, start, pay):
    group = pay(start(campaign_for())).member.group

    html = _client(language="zh-hans").get(f"/g/{shares.token_for(group)}/")

    assert "拼团" in html.content.decode()


def test_a_buyer_joins_from_the_group_page_and_goes_to_pay(
    campaign_for, start, pay, group_buyer
):
    group = pay(start(campaign_for())).member.group
    buyer = group_buyer()
    page = _client(buyer)

    resp = page.post(
        f"/g/{shares.token_for(group)}/",
        {
            "address_id": buyer.default_address.pk,
            "quantity": 1,
            "idempotency_key": "page-1",
        },
    )

    assert resp.status_code == 302
    assert "/sandbox-pay/" in resp["Location"]
    assert GroupMember.objects.filter(buyer=buyer, group=group).count() == 1


def test_a_bad_link_is_a_404_page(db):
    resp = _client().get("/g/not-a-token/")

    assert resp.status_code == 404


def test_the_share_sheet_makes_an_attributed_link_with_a_qr_poster(
    campaign_for, start, group_buyer
):
    buyer = group_buyer()
    group = start(campaign_for(), buyer=buyer).member.group
    page = _client(buyer)

    resp = page.post(f"/account/groups/{group.ref}/share/", {"channel": "poster"})
    share = GroupShare.objects.get()
    sheet = page.get(resp["Location"]).content.decode()
    qr = _client().get(f"/g/{shares.token_for(group, share)}/qr.png")

    assert (share.channel, share.sharer) == ("poster", buyer)
    assert shares.token_for(group, share) in sheet
    assert qr.status_code == 200
    assert qr["Content-Type"] == "image/png"
    assert qr.content[:8] == b"\x89PNG\r\n\x1a\n"
    # The sharer's own visit is not counted.
    page.get(f"/g/{shares.token_for(group, share)}/")
    assert not ShareVisit.objects.exists()


def test_my_groups_lists_my_seats_only(campaign_for, start, group_buyer):
    me, other = group_buyer(), group_buyer()
    campaign = campaign_for()
    start(campaign, buyer=me)
    start(campaign, buyer=other)

    html = _client(me).get("/account/groups/").content.decode()

    assert html.count('data-testid="group-row"') == 1
    assert (
        _client(other)
        .get(f"/account/groups/{GroupMember.objects.get(buyer=me).group.ref}/")
        .status_code
        == 404
    )


def test_the_seller_sees_the_report_with_charts_and_strangers_do_not(
    campaign_for, user_factory
):
    campaign = campaign_for()
    owner = ShopMember.objects.get(shop=campaign.shop).user
    url = f"/seller/{campaign.shop_id}/groups/{campaign.pk}/"

    mine = _client(owner).get(url)
    theirs = _client(user_factory()).get(url)

    assert mine.status_code == 200
    assert 'id="funnel-chart"' in mine.content.decode()
    assert theirs.status_code == 404


def test_the_seller_creates_and_pauses_a_campaign_from_the_pages(
    listed_sku, user_factory
):
    sku = listed_sku("30.00")
    owner = ShopMember.objects.get(shop=sku.product.shop).user
    page = _client(owner)
    shop_id = sku.product.shop_id

    created = page.post(
        f"/seller/{shop_id}/groups/",
        {
            "sku_id": sku.pk,
            "group_price": "25",
            "team_size": 2,
            "window_minutes": 60,
            "stock_cap": 10,
            "per_buyer_limit": 1,
        },
    )
    campaign = sku.group_campaigns.get()
    page.post(f"/seller/{shop_id}/groups/{campaign.pk}/status/", {"status": "paused"})

    assert created.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "paused"
