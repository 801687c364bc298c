"""The invite and orchard API, as a buyer and as someone else."""

import pytest

from emporia.infra.outbox.services import relay_pending
from emporia.modes.social.models import Invite, Tree, WaterGrant
from emporia.modes.social.services import orchard

pytestmark = pytest.mark.django_db


def test_signing_up_by_api_with_a_code_binds_the_invite(api_as, buyer):
    code = api_as(buyer).get("social/invites/me").json()["code"]

    resp = api_as().post(
        "accounts/signup",
        {
            "email": "new@example.com",
            "password": "correct horse battery",
            "display_name": "Newbie",
            "referral_code": code,
            "device_id": "app-install-123456",
        },
    )
    relay_pending()

    assert resp.status_code == 201
    mine = api_as(buyer).get("social/invites/me").json()
    assert [(i["name"], i["status"]) for i in mine["invitees"]] == [("N***e", "joined")]
    assert mine["balance"] == {"minor": 0, "currency": "CNY", "amount": "0.00"}
    assert mine["link"].endswith(f"/i/{code}/")
    assert Invite.objects.get().invitee.email == "new@example.com"


def test_an_unknown_code_typed_in_is_a_404(api_as, buyer):
    resp = api_as(buyer).post("social/invites/code", {"code": "NOPE2345"})

    assert resp.status_code == 404
    assert not Invite.objects.exists()


def test_invite_stats_are_for_operators_only(api_as, buyer, operator):
    q = {"start": "2026-11-01", "end": "2026-11-02"}

    assert api_as(buyer).get("social/invites/stats", q).status_code == 404
    resp = api_as(operator).get("social/invites/stats", q)
    assert resp.status_code == 200
    assert [d["invites"] for d in resp.json()["days"]] == [0, 0]


def test_plant_check_in_and_browse_through_the_api(
    api_as, buyer, operator, listed_sku, frozen_clock
):
    sku = listed_sku("25.00")
    prize = api_as(operator).post("social/orchard/prizes", {"sku_id": sku.pk}).json()
    me = api_as(buyer)

    planted = me.post("social/orchard/trees", {"prize_id": prize["id"]})
    checked = me.post("social/orchard/check-in")
    again = me.post("social/orchard/check-in")
    token = me.post("social/orchard/browse").json()["token"]
    early = me.post(f"social/orchard/browse/{token}/claim")
    frozen_clock.advance(seconds=30)
    claimed = me.post(f"social/orchard/browse/{token}/claim")

    assert planted.status_code == 201
    assert (checked.status_code, checked.json()["tree"]["water"]) == (200, 10)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "task_done")
    assert (early.status_code, early.json()["error"]["code"]) == (409, "too_early")
    assert (claimed.status_code, claimed.json()["tree"]["water"]) == (200, 25)
    state = me.get("social/orchard/").json()
    assert state["water_today"] == 25
    assert {t["task"]: t["done"] for t in state["tasks"]}["browse"] == 1


def test_only_operators_offer_prizes(api_as, buyer, listed_sku):
    resp = api_as(buyer).post("social/orchard/prizes", {"sku_id": listed_sku().pk})

    assert resp.status_code == 404


def test_another_buyer_cannot_claim_my_tree_or_my_browse_token(
    api_as, buyer, user_factory, listed_sku, address_factory, frozen_clock
):
    prize = orchard.offer_prize(sku_id=listed_sku("25.00").pk)
    tree = orchard.plant_tree(owner=buyer, prize_id=prize.pk)
    Tree.objects.filter(pk=tree.pk).update(water=orchard.ripe_water())
    visit = orchard.start_browse(owner=buyer)
    frozen_clock.advance(seconds=60)
    other = user_factory()
    them = api_as(other)

    claim = them.post(
        f"social/orchard/trees/{tree.pk}/claim",
        {"address_id": address_factory(user=other).pk},
    )
    browse = them.post(f"social/orchard/browse/{visit.token}/claim")

    assert claim.status_code == 404
    assert browse.status_code == 404
    tree.refresh_from_db()
    assert tree.status == "growing"
    assert not WaterGrant.objects.exists()


def test_claiming_a_ripe_tree_by_api_places_a_free_order(
    api_as, buyer, listed_sku, address_factory
):
    prize = orchard.offer_prize(sku_id=listed_sku("25.00").pk)
    tree = orchard.plant_tree(owner=buyer, prize_id=prize.pk)
    Tree.objects.filter(pk=tree.pk).update(water=orchard.ripe_water())

    resp = api_as(buyer).post(
        f"social/orchard/trees/{tree.pk}/claim",
        {"address_id": address_factory(user=buyer).pk},
    )

    assert resp.status_code == 201
    assert resp.json()["total"]["minor"] == 0
    assert resp.json()["status"] == "paid"


def test_a_second_check_in_is_refused_in_chinese_and_gives_no_water(
    api_as, buyer, listed_sku, frozen_clock
):
    prize = orchard.offer_prize(sku_id=listed_sku("25.00").pk)
    tree = orchard.plant_tree(owner=buyer, prize_id=prize.pk)
    me = api_as(buyer, language="zh-hans")
    me.post("social/orchard/check-in")

    again = me.post("social/orchard/check-in")

    assert again.status_code == 409
    assert again.json()["error"]["message"] == "每日签到：今日已完成（每日限 1 次）"
    tree.refresh_from_db()
    assert tree.water == 10
    assert WaterGrant.objects.count() == 1


def test_an_unknown_invite_code_is_refused_in_chinese(api_as, buyer):
    resp = api_as(buyer, language="zh-hans").post(
        "social/invites/code", {"code": "NOPE2345"}
    )

    assert resp.status_code == 404
    assert resp.json()["error"]["message"] == "邀请码不存在，请核对后重新输入"
    assert not Invite.objects.exists()
