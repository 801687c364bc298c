"""Trade governance in a real browser: three sellers who keep buying from one
another form a ring; the scoring job flags their trades; the operator finds
one in the review queue with the ring as evidence, freezes the shop and
withholds its escrow; the shop's product vanishes from search and its money
stays in escrow. The seller reads the penalty in the seller center and
appeals; the operator lifts it on appeal: the shop sells again and the
money is released."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from emporia.core.accounts.models import User
from emporia.core.orders import services as orders
from emporia.core.search.models import SearchDocument
from emporia.kernel.money import Money
from emporia.modes.c2c.governance import scoring
from emporia.modes.c2c.models import Penalty
from emporia.modes.c2c.tests.governance_world import Seller, person, relay, trade

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"


@pytest.fixture
def ring(settings):
    settings.EMPORIA = {
        **settings.EMPORIA,
        "C2C_GOVERNANCE": {"AUTO_PENALTY_SCORE": None},
    }
    a, b, c = (Seller(person(n, joined=OLD)) for n in ("Ann", "Bo", "Cai"))
    for buyer, shop in ((a, b), (b, c), (c, a)):
        for _ in range(2):
            trade(buyer.owner, shop)
    # The latest ring trade is shipped but not yet confirmed.
    pending = trade(a.owner, b, confirm=False)
    relay()
    scoring.score_pending()
    User.objects.create_user(
        "ops@example.com", PASSWORD, display_name="Ops", is_staff=True
    )
    return {"a": a, "b": b, "pending": pending}


def test_operator_freezes_a_ring_shop_and_withholds_its_escrow(
    new_page, live_server, ring, shots
):
    base = live_server.url
    b, pending = ring["b"], ring["pending"]
    page = new_page()

    page.goto(f"{base}/account/login/")
    page.get_by_label("Email or mobile number").fill("ops@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    name = SearchDocument.objects.get(product_id=b.sku.product_id).product.name()
    product_link = page.locator(f'a[href$="/p/{b.sku.product_id}/"]')
    page.goto(f"{base}/search/?q={name}")
    expect(product_link.first).to_be_visible()  # found before the penalty
    page.goto(f"{base}/ops/governance/")
    card = page.locator(f'[data-testid="flagged-trade"][data-order="{pending.number}"]')
    evidence = card.get_by_test_id("evidence").inner_text()
    assert "ring of 3 accounts trading among themselves" in evidence
    assert re.search(r"cycle Ann \(#\d+\) → Bo \(#\d+\) → Cai \(#\d+\) → Ann", evidence)
    assert card.get_by_test_id("score").inner_text() == "score 60"
    shots(page, "review queue with the ring", doc="c2cgov-queue.png")

    card.get_by_label("Freeze the shop").check()
    card.get_by_label("Reason").fill("Ring of three sellers buying from one another")
    card.get_by_test_id("penalise").click()

    page.wait_for_url(re.compile(r"/ops/governance/$"))
    assert "Penalty applied" in page.get_by_role("status").inner_text()
    shots(page, "penalty applied")
    penalty = Penalty.objects.get()
    assert sorted(penalty.measures) == ["freeze", "remove_sales", "withhold_escrow"]
    b.shop.refresh_from_db()
    assert b.shop.status == "frozen"

    page.goto(f"{base}/search/?q={name}")
    # Other tests' products may share words with this name: look for this
    # product's own link, which a frozen shop's product must not have.
    expect(page.get_by_test_id("result-count")).to_be_visible()
    expect(product_link).to_have_count(0)
    shots(page, "the frozen shop is gone from search")

    orders.confirm_receipt(order=pending, buyer=ring["a"].owner)
    pending.refresh_from_db()
    assert pending.status == "completed"
    assert pending.settled_at is None
    assert orders.escrow_held(pending) == Money(pending.total_minor, "CNY")

    # The seller finds the penalty in the seller center and appeals.
    seller = new_page()
    seller.goto(f"{base}/account/login/")
    seller.get_by_label("Email or mobile number").fill(b.owner.email)
    seller.get_by_label("Password").fill(PASSWORD)
    seller.get_by_role("button", name="Log in").click()
    seller.wait_for_url(lambda url: "/account/login/" not in url)
    seller.goto(f"{base}/seller/{b.shop.pk}/")
    seller.get_by_role("link", name="Penalties").click()
    seller.wait_for_url(re.compile(rf"/seller/{b.shop.pk}/penalties/$"))
    mine = seller.get_by_test_id("seller-penalty")
    expect(mine.get_by_test_id("penalty-status")).to_have_text("In force")
    expect(mine.get_by_test_id("penalty-reason")).to_have_text(
        "Ring of three sellers buying from one another"
    )
    expect(mine.get_by_test_id("penalty-trades")).to_contain_text(pending.number)
    expect(mine.get_by_test_id("penalty-measures")).to_contain_text("Freeze the shop")
    mine.get_by_label("Appeal (once): your side of the story").fill(
        "Ann and Cai are my neighbours and buy my jam every week."
    )
    mine.get_by_test_id("appeal-button").click()
    expect(seller.get_by_role("status")).to_contain_text("Your appeal is filed")
    expect(mine.get_by_test_id("appeal-status")).to_have_text("Under review")
    expect(mine.get_by_test_id("appeal-button")).to_have_count(0)
    shots(seller, "the seller appealed", doc="c2cgov-seller-appeal.png")

    # The operator reads the appeal and lifts the penalty.
    page.goto(f"{base}/ops/governance/penalties/")
    appeal = page.get_by_test_id("appeal")
    expect(appeal).to_contain_text("my neighbours and buy my jam")
    appeal.get_by_label("Ruling").fill("Long-standing customers; not a ring")
    appeal.get_by_role("button", name="Lift the penalty").click()
    expect(page.get_by_role("status")).to_contain_text("The appeal was ruled on")
    expect(page.get_by_test_id("appeal")).to_have_count(0)
    b.shop.refresh_from_db()
    assert b.shop.status == "active"
    pending.refresh_from_db()
    assert pending.settled_at is not None
    assert orders.escrow_held(pending) == Money(0, "CNY")

    seller.reload()
    expect(mine.get_by_test_id("penalty-status")).to_have_text("Lifted")
    expect(mine.get_by_test_id("appeal-status")).to_have_text(
        "Granted: the penalty was lifted"
    )
    shots(seller, "the penalty was lifted on appeal")
    page.goto(f"{base}/search/?q={name}")
    expect(product_link.first).to_be_visible()  # back in search
