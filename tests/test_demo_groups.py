"""The group-buy demo: a filled group, a failed and refunded one, one still
forming, and a share funnel the seller's report can show."""

from __future__ import annotations

import json
import re

import pytest
from django.db import transaction

from emporia import demo
from emporia.core.accounts.models import ShopMember
from emporia.kernel.money import Money
from emporia.modes.social.models import GroupCampaign
from emporia.modes.social.selectors import fission

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        demo.seed()
        yield
        transaction.set_rollback(True)


def test_the_demo_has_filled_failed_and_forming_groups_with_a_funnel(loaded):
    campaign = GroupCampaign.objects.get()
    report = fission.campaign_report(campaign)

    assert report.groups == {"forming": 1, "filled": 1, "failed": 1}
    statuses = sorted(
        m.order.status for g in campaign.groups.all() for m in g.members.all()
    )
    assert statuses == ["on_hold", "paid", "paid", "paid", "refunded", "refunded"]
    assert (report.totals.shares, report.totals.joins, report.totals.purchases) == (
        4,
        3,
        3,
    )
    assert report.totals.visits == 4 + 2 + 6 + 1 + 3
    assert report.k_factor is not None
    assert report.group_cac is not None
    campaign.refresh_from_db()
    assert campaign.units_claimed == 4


def test_the_k_factor_and_cac_report_renders_for_the_demo_with_every_channel(
    loaded, client
):
    # Given the demo's campaign and a member of its shop
    campaign = GroupCampaign.objects.get()
    staff = ShopMember.objects.filter(shop=campaign.shop).first().user
    client.force_login(staff)

    # When the seller opens the campaign's report
    response = client.get(
        f"/seller/{campaign.shop_id}/groups/{campaign.pk}/",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # Then the funnel, K and a cost per buyer for groups, invites and ads show
    assert response.status_code == 200
    html = response.content.decode()
    report = fission.campaign_report(campaign)
    assert report.invites.rewarded == 2
    assert report.invites.cost == Money(1000, "CNY")
    assert report.invites.cac == Money(500, "CNY")
    assert re.search(r'data-testid="report-k">\d+\.\d\d<', html)
    for testid in ("report-group-cac", "report-invite-cac", "report-ad-cac"):
        assert re.search(rf'data-testid="{testid}">CN¥\d+\.\d\d<', html), testid
    assert 'data-testid="report-invite-cac">CN¥5.00<' in html
    assert "Invites are platform-wide" in html
    chart = json.loads(
        re.search(
            r'<script id="chart-data" type="application/json">(.*?)</script>', html
        ).group(1)
    )
    assert chart["cac_labels"] == ["Group buying", "Invites (platform)", "Ads"]
    assert all(float(v) > 0 for v in chart["cac"])
