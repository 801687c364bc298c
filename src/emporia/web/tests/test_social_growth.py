"""The invite and orchard pages in the storefront."""

from __future__ import annotations

import pytest
from django.test import Client

from emporia.infra.outbox.services import relay_pending
from emporia.modes.social.models import DeviceSighting, Invite, Tree, WaterGrant
from emporia.modes.social.services import invites, orchard

from .conftest import title

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_visitor_signing_up_through_an_invite_link_is_bound(buyer):
    code = invites.referral_code_for(user=buyer).code
    visitor = Client()

    landing = visitor.get(f"/i/{code.lower()}/")
    visitor.get(landing["Location"])
    signup = visitor.post(
        "/account/signup/",
        {
            "display_name": "小红",
            "email": "hong@example.com",
            "password": "a long passphrase 123",
            "next": "/orchard/",
        },
    )
    relay_pending()

    assert landing.status_code == 302
    assert landing["Location"].startswith("/account/signup/")
    assert signup.status_code == 302
    invite = Invite.objects.get()
    assert (invite.inviter, invite.invitee.display_name) == (buyer, "小红")
    device = visitor.cookies["emporia_device"].value
    assert DeviceSighting.objects.get(user=invite.invitee).device_id == device


def test_the_first_invite_link_opened_wins(buyer, user_factory):
    first = invites.referral_code_for(user=buyer).code
    second = invites.referral_code_for(user=user_factory()).code
    visitor = Client()

    visitor.get(f"/i/{first}/")
    visitor.get(f"/i/{second}/")
    visitor.post(
        "/account/signup/",
        {
            "display_name": "Li",
            "email": "li@example.com",
            "password": "a long passphrase 123",
        },
    )
    relay_pending()

    assert Invite.objects.get().inviter == buyer


def test_the_invite_page_shows_code_link_and_credit(buyer):
    client = logged_in(buyer)

    response = client.get("/account/invites/")

    body = response.content.decode()
    code = invites.referral_code_for(user=buyer).code
    assert response.status_code == 200
    assert title(response).startswith("Invite friends") or "邀请" in title(response)
    assert f"http://testserver/i/{code}/" in body
    assert 'data-testid="credit-balance"' in body
    assert DeviceSighting.objects.filter(user=buyer).count() == 1


def test_the_invite_page_needs_a_login():
    response = Client().get("/account/invites/")

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_planting_and_checking_in_on_the_orchard_page(buyer, listed_sku, frozen_clock):
    prize = orchard.offer_prize(sku_id=listed_sku("25.00").pk)
    client = logged_in(buyer)

    empty = client.get("/orchard/")
    client.post("/orchard/plant/", {"prize_id": prize.pk})
    client.post("/orchard/check-in/")
    again = client.post("/orchard/check-in/", follow=True)
    page = client.get("/orchard/").content.decode()

    assert 'data-testid="plant"' in empty.content.decode()
    assert Tree.objects.get(owner=buyer).water == 10
    assert WaterGrant.objects.count() == 1
    assert again.status_code == 200
    assert 'data-testid="tree-water">10<' in page
    assert 'data-stage="seed"' in page


def test_the_browse_task_counts_down_on_the_server_clock(
    buyer, listed_sku, frozen_clock
):
    prize = orchard.offer_prize(sku_id=listed_sku("25.00").pk)
    orchard.plant_tree(owner=buyer, prize_id=prize.pk)
    client = logged_in(buyer)

    client.post("/orchard/browse/")
    page = client.get("/orchard/").content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    client.post("/orchard/browse/claim/", {"token": token})
    frozen_clock.advance(seconds=30)
    client.post("/orchard/browse/claim/", {"token": token})

    assert 'data-seconds="30"' in page
    assert Tree.objects.get().water == 15


def test_claiming_the_fruit_on_the_page_leads_to_the_free_order(
    buyer, listed_sku, address_factory
):
    prize = orchard.offer_prize(sku_id=listed_sku("25.00").pk)
    tree = orchard.plant_tree(owner=buyer, prize_id=prize.pk)
    Tree.objects.filter(pk=tree.pk).update(water=orchard.ripe_water())
    address = address_factory(user=buyer)
    client = logged_in(buyer)

    page = client.get("/orchard/").content.decode()
    response = client.post(
        "/orchard/claim/", {"tree_id": tree.pk, "address_id": address.pk}
    )

    assert 'data-testid="claim-prize"' in page
    tree.refresh_from_db()
    assert response["Location"] == f"/account/orders/{tree.prize_order_id}/"


def test_someone_elses_tree_cannot_be_claimed_on_the_page(
    buyer, user_factory, listed_sku, address_factory
):
    prize = orchard.offer_prize(sku_id=listed_sku("25.00").pk)
    tree = orchard.plant_tree(owner=buyer, prize_id=prize.pk)
    Tree.objects.filter(pk=tree.pk).update(water=orchard.ripe_water())
    other = user_factory()

    logged_in(other).post(
        "/orchard/claim/",
        {"tree_id": tree.pk, "address_id": address_factory(user=other).pk},
    )

    tree.refresh_from_db()
    assert tree.status == "growing"
