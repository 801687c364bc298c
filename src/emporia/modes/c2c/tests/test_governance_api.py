"""The governance API: operators only for the queue and penalties; sellers
see and appeal their own shop's penalties; bad input is a 4xx that changes
nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from emporia.modes.c2c.governance import scoring
from emporia.modes.c2c.models import Penalty, PenaltyAppeal, TradeAssessment

from .governance_world import Seller, login, person, relay, trade

pytestmark = pytest.mark.django_db

OLD = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
BASE = "c2c/governance"


@pytest.fixture(autouse=True)
def _no_automatic_penalties(settings):
    settings.EMPORIA = {
        **settings.EMPORIA,
        "C2C_GOVERNANCE": {"AUTO_PENALTY_SCORE": None},
    }


@pytest.fixture
def flagged(frozen_clock):
    seller = Seller(person("Mei", joined=OLD))
    login(seller.owner, device="shared-device-abcdef123")
    order = trade(
        person("Puppet", joined=OLD), seller, device="shared-device-abcdef123"
    )
    relay()
    scoring.score_pending()
    return seller, order


def test_the_operator_sees_the_queue_with_evidence(flagged, operator, api_as):
    seller, order = flagged

    answer = api_as(operator).get(f"{BASE}/queue")

    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert (item["order_id"], item["shop_id"], item["score"], item["status"]) == (
        order.pk,
        seller.shop.pk,
        50,
        "flagged",
    )
    assert item["signals"] == ["shared_device"]
    assert item["evidence"][0]["text"].startswith("Buyer Puppet")


def test_non_operators_are_refused_the_queue_and_the_penalties(
    flagged, api_as, operator
):
    seller, order = flagged
    payload = {
        "shop_id": seller.shop.pk,
        "order_ids": [order.pk],
        "measures": ["freeze"],
        "reason": "x",
    }
    for user in (seller.owner, person("Someone")):
        client = api_as(user)
        assert client.get(f"{BASE}/queue").status_code == 403
        assert client.get(f"{BASE}/penalties").status_code == 403
        assert client.post(f"{BASE}/penalties", payload).status_code == 403
        assert client.post(f"{BASE}/trades/{order.pk}/dismiss", {}).status_code == 403
        assert client.get(f"{BASE}/appeals").status_code == 403
    assert api_as().get(f"{BASE}/queue").status_code == 401
    assert Penalty.objects.count() == 0
    seller.shop.refresh_from_db()
    assert seller.shop.status == "active"


def test_penalise_appeal_and_lift_through_the_api(flagged, operator, api_as):
    seller, order = flagged
    ops = api_as(operator)

    applied = ops.post(
        f"{BASE}/penalties",
        {
            "shop_id": seller.shop.pk,
            "order_ids": [order.pk],
            "measures": ["remove_sales", "withhold_escrow", "freeze"],
            "reason": "Sock puppets on the owner's device",
        },
    )
    assert applied.status_code == 201
    penalty = applied.json()
    assert (penalty["status"], penalty["order_ids"], penalty["appeal"]) == (
        "active",
        [order.pk],
        None,
    )

    mine = api_as(seller.owner).get(f"{BASE}/shops/{seller.shop.pk}/penalties")
    assert [p["id"] for p in mine.json()] == [penalty["id"]]
    stranger = api_as(person("Stranger"))
    assert stranger.get(f"{BASE}/shops/{seller.shop.pk}/penalties").status_code == 404
    assert stranger.get(f"{BASE}/penalties/{penalty['id']}").status_code == 404
    refused = stranger.post(f"{BASE}/penalties/{penalty['id']}/appeal", {"text": "hi"})
    assert refused.status_code == 404
    assert PenaltyAppeal.objects.count() == 0

    appeal = api_as(seller.owner).post(
        f"{BASE}/penalties/{penalty['id']}/appeal", {"text": "She is my sister."}
    )
    assert appeal.status_code == 201
    ruled = ops.post(
        f"{BASE}/appeals/{appeal.json()['id']}/rule",
        {"decision": "lift", "note": "Checked"},
    )
    assert ruled.status_code == 200
    assert ruled.json()["status"] == "lifted"
    after = api_as(seller.owner).get(f"{BASE}/penalties/{penalty['id']}").json()
    assert after["status"] == "lifted"
    assert after["appeal"]["status"] == "lifted"
    seller.shop.refresh_from_db()
    assert seller.shop.status == "active"


def test_bad_penalty_input_is_a_4xx_and_changes_nothing(flagged, operator, api_as):
    seller, order = flagged
    ops = api_as(operator)
    base = {"shop_id": seller.shop.pk, "order_ids": [order.pk], "reason": "r"}

    assert (
        ops.post(f"{BASE}/penalties", {**base, "measures": ["jail"]}).status_code == 422
    )
    assert ops.post(f"{BASE}/penalties", {**base, "measures": []}).status_code == 422
    assert (
        ops.post(
            f"{BASE}/penalties", {**base, "measures": ["freeze"], "reason": ""}
        ).status_code
        == 422
    )
    assert (
        ops.post(
            f"{BASE}/penalties",
            {**base, "order_ids": [], "measures": ["remove_sales"]},
        ).status_code
        == 422
    )
    assert (
        ops.post(
            f"{BASE}/penalties", {**base, "shop_id": 10**9, "measures": ["freeze"]}
        ).status_code
        == 404
    )
    assert ops.post(f"{BASE}/penalties/999999/lift", {"reason": "x"}).status_code == 404
    assert (
        ops.post(
            f"{BASE}/appeals/999999/rule", {"decision": "maybe", "note": "x"}
        ).status_code
        == 422
    )
    assert Penalty.objects.count() == 0
    assert TradeAssessment.objects.get(order_id=order.pk).status == "flagged"


def test_the_operator_dismisses_a_flag_once(flagged, operator, api_as):
    _, order = flagged
    ops = api_as(operator)

    first = ops.post(f"{BASE}/trades/{order.pk}/dismiss", {"note": "Known couple"})
    second = ops.post(f"{BASE}/trades/{order.pk}/dismiss", {"note": "again"})

    assert first.status_code == 200
    assert (first.json()["status"], first.json()["review_note"]) == (
        "dismissed",
        "Known couple",
    )
    assert second.status_code == 409
    assert TradeAssessment.objects.get(order_id=order.pk).review_note == "Known couple"
