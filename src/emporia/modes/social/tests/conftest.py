"""Fixtures for group buying: a campaign on a stocked SKU, and buyers who
join and pay through the real checkout and the sandbox gateway."""

from __future__ import annotations

import uuid

import pytest

from emporia.core.accounts.models import ShopMember
from emporia.infra.outbox.services import relay_pending
from emporia.modes.social.services import groups


@pytest.fixture
def campaign_for(listed_sku):
    """``campaign_for(team_size=3, stock=20, ...)`` → a campaign selling a
    SKU at 30.00 solo for 19.90 in groups."""

    def make(
        team_size=3,
        stock=20,
        stock_cap=100,
        per_buyer_limit=2,
        window_minutes=24 * 60,
        price="30.00",
        group_price="19.90",
    ):
        sku = listed_sku(price, quantity=stock)
        shop = sku.product.shop
        owner = ShopMember.objects.get(shop=shop).user
        return groups.create_campaign(
            shop=shop,
            actor=owner,
            sku_id=sku.pk,
            group_price=group_price,
            team_size=team_size,
            window_minutes=window_minutes,
            stock_cap=stock_cap,
            per_buyer_limit=per_buyer_limit,
            title="Test group buy",
        )

    return make


@pytest.fixture
def group_buyer(user_factory, address_factory):
    """``group_buyer()`` → a fresh buyer with a default address."""

    def make(**kwargs):
        user = user_factory(**kwargs)
        user.default_address = address_factory(user=user)
        return user

    return make


@pytest.fixture
def start(group_buyer):
    def make(campaign, buyer=None, quantity=1):
        buyer = buyer or group_buyer()
        return groups.start_group(
            buyer=buyer,
            campaign_id=campaign.pk,
            idempotency_key=uuid.uuid4().hex,
            quantity=quantity,
            address_id=buyer.default_address.pk,
        )

    return make


@pytest.fixture
def join(group_buyer):
    def make(group, buyer=None, quantity=1, share=None):
        buyer = buyer or group_buyer()
        return groups.join_group(
            buyer=buyer,
            group=group,
            idempotency_key=uuid.uuid4().hex,
            quantity=quantity,
            address_id=buyer.default_address.pk,
            share=share,
        )

    return make


@pytest.fixture
def pay(sandbox):
    """``pay(joined)``: the buyer pays on the sandbox page; events relayed."""

    def make(joined):
        sandbox.pay(joined.payment)
        relay_pending()
        joined.member.refresh_from_db()
        joined.member.order.refresh_from_db()
        return joined

    return make
