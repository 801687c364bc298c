"""The seller center's penalties page: the shop's penalties with measures,
reason, trades and status, and the appeal form; others are refused."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from emporia.modes.c2c.governance import services
from emporia.modes.c2c.models import PenaltyAppeal

from .governance_world import Seller, person, trade

pytestmark = pytest.mark.django_db

OLD = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return match.group(1).strip() if match else ""


@pytest.fixture
def penalised(frozen_clock, operator):
    """A shop penalised (remove sales, demote) for one trade."""
    seller = Seller(person("Mei", joined=OLD))
    order = trade(person("Puppet", joined=OLD), seller)
    penalty = services.apply_penalty(
        shop_id=seller.shop.pk,
        order_ids=[order.pk],
        measures=["remove_sales", "demote"],
        reason="Sock puppet on the seller's phone",
        by=operator,
    )
    return seller, order, penalty


def test_the_seller_sees_the_penalty_and_appeals_it(penalised, operator):
    seller, order, penalty = penalised
    client = client_as(seller.owner)
    client.cookies["django_language"] = "en"
    url = f"/seller/{seller.shop.pk}/penalties/"
    # when the seller opens the penalties page (linked from the seller nav)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    # then it lists the penalty: reason, measures with their effect, trade
    assert page.status_code == 200
    assert title(page) == "Mei&#x27;s shop — penalties · Emporia"
    assert f'href="{url}" aria-current="page"' in html
    assert "Sock puppet on the seller&#x27;s phone" in html
    assert "Remove from sales and credit" in html
    assert "Your products rank last in search." in html
    assert f">{order.number}</a>" in html
    assert 'data-testid="appeal-button"' in html
    # when the seller appeals with text
    done = client.post(
        f"{url}{penalty.pk}/appeal/",
        {"text": "The buyer is my neighbour; she used my phone once."},
    )
    # then the appeal is filed, open, and the form gives way to its status
    assert done.status_code == 302
    assert done["Location"] == url
    appeal = PenaltyAppeal.objects.get()
    assert (appeal.penalty_id, appeal.status, appeal.filed_by_id) == (
        penalty.pk,
        "open",
        seller.owner.pk,
    )
    assert appeal.text == "The buyer is my neighbour; she used my phone once."
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Under review" in html
    assert 'data-testid="appeal-button"' not in html
    # when the operator lifts it on appeal, the seller reads the ruling
    services.rule_appeal(
        appeal_id=appeal.pk, by=operator, decision="lift", note="Believable"
    )
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Granted: the penalty was lifted" in html
    assert "Believable" in html


def test_the_page_is_in_chinese_by_default(penalised):
    seller, _, _ = penalised
    page = client_as(seller.owner).get(f"/seller/{seller.shop.pk}/penalties/")
    assert title(page) == "Mei&#x27;s shop — 违规处罚 · Emporia"
    assert "从销量和信用中剔除" in page.content.decode()


def test_an_empty_or_second_appeal_changes_nothing(penalised):
    seller, _, penalty = penalised
    client = client_as(seller.owner)
    url = f"/seller/{seller.shop.pk}/penalties/{penalty.pk}/appeal/"
    client.post(url, {"text": "   "})
    assert PenaltyAppeal.objects.count() == 0
    client.post(url, {"text": "First"})
    client.post(url, {"text": "Second"})
    assert list(PenaltyAppeal.objects.values_list("text", flat=True)) == ["First"]


def test_another_seller_cannot_see_or_appeal(penalised):
    seller, _, penalty = penalised
    other = Seller(person("Other", joined=OLD))
    client = client_as(other.owner)
    # not staff of the penalised shop: 404 on its page
    assert client.get(f"/seller/{seller.shop.pk}/penalties/").status_code == 404
    # through their own shop's URL, another shop's penalty is a 404 as well
    appeal = client.post(
        f"/seller/{other.shop.pk}/penalties/{penalty.pk}/appeal/", {"text": "Mine!"}
    )
    assert appeal.status_code == 404
    assert PenaltyAppeal.objects.count() == 0
    # and their own page shows none
    mine = client.get(f"/seller/{other.shop.pk}/penalties/")
    assert 'data-testid="no-penalties"' in mine.content.decode()
