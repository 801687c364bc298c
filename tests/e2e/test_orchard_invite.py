"""Invite and orchard journey, in a real browser: a buyer copies their invite
link, a new visitor signs up through it in another browser, the buyer sees
the friend joined; the buyer plants a tree, checks in and sees the water and
the stage move."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from emporia.infra.outbox.services import relay_pending
from emporia.modes.social.models import Invite
from emporia.modes.social.services import orchard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def _log_in(page, base, login, password):
    page.goto(f"{base}/account/login/")
    page.get_by_label("Email or mobile number").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_invite_a_friend_then_water_the_orchard(
    new_page, live_server, user_factory, listed_sku, shots
):
    base = live_server.url
    inviter = user_factory(email="mei@example.com", display_name="美美")
    orchard.offer_prize(sku_id=listed_sku("19.90").pk)
    buyer = new_page()
    buyer.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)

    # The buyer opens the invite page and copies the link.
    _log_in(buyer, base, "mei@example.com", PASSWORD)
    buyer.goto(f"{base}/account/invites/")
    expect(buyer).to_have_title("Invite friends · Emporia")
    link = buyer.get_by_test_id("invite-link").input_value()
    buyer.get_by_role("button", name="Copy link").click()
    copied = buyer.locator("#copy-status")
    copied.filter(has_text="Copied!").wait_for()
    assert copied.inner_text() == "Copied!"
    assert buyer.evaluate("navigator.clipboard.readText()") == link
    shots(buyer, "invite page", doc="social-invite.png")

    # The buyer plants a tree before the friend arrives.
    buyer.goto(f"{base}/orchard/")
    buyer.get_by_role("button", name="Plant").click()
    assert buyer.get_by_test_id("tree-stage").inner_text() == "Seed"
    assert buyer.get_by_test_id("tree-water").inner_text() == "0"

    # A new visitor opens the link in another browser and signs up.
    friend = new_page()
    friend.goto(link)
    assert friend.url.startswith(f"{base}/account/signup/")
    friend.get_by_label("Display name").fill("小明")
    friend.get_by_label("Email").fill("ming@example.com")
    friend.get_by_label("Password").fill("a long passphrase 2026")
    friend.get_by_role("button", name="Sign up").click()
    expect(friend.get_by_text("Welcome to Emporia!")).to_be_visible()
    assert friend.url == f"{base}/orchard/"
    relay_pending()
    assert Invite.objects.get().inviter == inviter

    # The buyer sees the friend joined (name half hidden).
    buyer.goto(f"{base}/account/invites/")
    row = buyer.get_by_test_id("invitee")
    expect(row.get_by_text("小***明")).to_be_visible()
    expect(row.get_by_text("Joined — waiting for their first order")).to_be_visible()

    # The friend's signup watered the tree; checking in moves it to a sprout.
    buyer.goto(f"{base}/orchard/")
    assert buyer.get_by_test_id("tree-water").inner_text() == "20"
    assert buyer.get_by_test_id("tree-stage").inner_text() == "Seed"
    buyer.get_by_test_id("check-in").click()
    expect(buyer.get_by_text("Checked in: +10 water.")).to_be_visible()
    assert buyer.get_by_test_id("tree-water").inner_text() == "30"
    assert buyer.get_by_test_id("tree-stage").inner_text() == "Sprout"
    assert buyer.get_by_test_id("water-today").inner_text() == "30"
    expect(buyer.get_by_test_id("task-check_in").get_by_text("Done")).to_be_visible()
    shots(buyer, "orchard after check-in", doc="social-orchard.png")
