"""Group buying in real browsers: buyer A starts a group and pays on the
sandbox page; buyer B opens A's share link in another browser context and
joins; both see the group filled. Then a group whose window lapses: the
timer refunds both and both see it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from emporia.core.accounts.models import ShopMember
from emporia.infra.outbox.services import relay_pending
from emporia.modes.social.models import Group
from emporia.modes.social.services import groups
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


@pytest.fixture
def group_campaign(shop_factory, product_factory, sku_factory):
    def make(team_size):
        shop = shop_factory(name="拼拼果园")
        product = product_factory(
            shop=shop, names={"en": "Hami melon", "zh-hans": "哈密瓜"}
        )
        sku = sku_factory(product=product, code="HM-1", price="39.90")
        factories.stock(sku, 20)
        return groups.create_campaign(
            shop=shop,
            actor=ShopMember.objects.get(shop=shop).user,
            sku_id=sku.pk,
            group_price="29.90",
            team_size=team_size,
            window_minutes=24 * 60,
            stock_cap=20,
            per_buyer_limit=2,
        )

    return make


@pytest.fixture
def buyers(user_factory, address_factory):
    made = []
    for name in ("Alice", "Bob"):
        user = user_factory(display_name=name, email=f"{name.lower()}@example.com")
        address_factory(user=user)
        made.append(user)
    return made


def _log_in(page, base, email):
    page.goto(f"{base}/account/login/")
    page.get_by_label("Email or mobile number").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _pay_on_sandbox(page):
    page.wait_for_url(re.compile(r"/sandbox-pay/"))
    page.get_by_role("button", name=re.compile("Pay")).click()


def _until(page, test_id: str, text: str, tries: int = 40) -> str:
    """Relay events (the gateway's callback lands a moment later, over HTTP)
    and reload until the page shows ``text``."""
    seen = ""
    for _ in range(tries):
        relay_pending()
        page.reload()
        seen = page.get_by_test_id(test_id).first.inner_text()
        if seen == text:
            break
        page.wait_for_timeout(250)
    return seen


def _start_and_share(base, page, campaign, shots):
    _log_in(page, base, "alice@example.com")
    page.goto(f"{base}/p/{campaign.sku.product_id}/")
    assert (
        "Start a group at CN¥29.90" in page.get_by_test_id("group-offer").inner_text()
    )
    shots(page, "product with group offer")
    page.get_by_test_id("start-group-link").click()
    page.get_by_test_id("start-group").click()
    _pay_on_sandbox(page)
    page.wait_for_url(re.compile(r"/account/groups/$"))
    assert _until(page, "my-group-order-status", "On hold") == "On hold"
    page.get_by_test_id("group-row").get_by_role("link").first.click()
    page.get_by_test_id("share-wechat").click()
    expect(page.get_by_test_id("share-qr")).to_be_visible()
    shots(page, "share sheet", doc="group-share-sheet.png")
    return page.get_by_test_id("share-url").input_value()


def _join(base, page, link, shots):
    page.goto(link.replace("http://127.0.0.1:8000", base))
    assert page.get_by_test_id("group-status").inner_text() == "Forming"
    shots(page, "group page from the link", doc="group-page.png")
    page.get_by_test_id("login-to-join").click()
    page.get_by_label("Email or mobile number").fill("bob@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_test_id("join-group").click()
    _pay_on_sandbox(page)


def test_a_starts_b_joins_through_the_share_link_and_both_see_it_filled(
    new_page, callbacks_to_live_server, group_campaign, buyers, shots, settings
):
    base = callbacks_to_live_server.url
    settings.EMPORIA = {**settings.EMPORIA, "PUBLIC_BASE_URL": base}
    campaign = group_campaign(team_size=2)
    alice, bob = new_page(), new_page()

    link = _start_and_share(base, alice, campaign, shots)
    _join(base, bob, link, shots)

    bob.wait_for_url(re.compile(r"/account/groups/"))
    assert _until(bob, "group-status", "Filled") == "Filled"
    assert bob.get_by_test_id("my-order-status").inner_text() == "Paid"
    shots(bob, "bob sees filled")
    assert _until(alice, "group-status", "Filled") == "Filled"
    assert alice.get_by_test_id("group-members").inner_text().count("*") >= 2
    shots(alice, "alice sees filled")
    assert Group.objects.get().status == "filled"


def test_the_window_lapses_and_both_see_the_refund(
    new_page,
    callbacks_to_live_server,
    group_campaign,
    buyers,
    shots,
    settings,
    frozen_clock,
):
    base = callbacks_to_live_server.url
    settings.EMPORIA = {**settings.EMPORIA, "PUBLIC_BASE_URL": base}
    campaign = group_campaign(team_size=3)
    alice, bob = new_page(), new_page()
    link = _start_and_share(base, alice, campaign, shots)
    _join(base, bob, link, shots)
    bob.wait_for_url(re.compile(r"/account/groups/"))
    assert _until(bob, "my-order-status", "On hold") == "On hold"

    frozen_clock.advance(hours=24, seconds=1)
    assert groups.close_due_groups() == 1

    assert _until(bob, "group-status", "Did not fill — refunded") == (
        "Did not fill — refunded"
    )
    assert bob.get_by_test_id("my-order-status").inner_text() == "Refunded"
    shots(bob, "bob sees refund")
    assert _until(alice, "my-order-status", "Refunded") == "Refunded"
    shots(alice, "alice sees refund", doc="group-refunded.png")
