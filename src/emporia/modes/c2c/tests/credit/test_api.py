"""The C2C credit API: rating, amending, replying, public credit and
ratings, the growth center and the operators' exclusion — with refusals."""

from __future__ import annotations

import pytest

from emporia.modes.c2c.models import CreditExclusion, TradeRating

pytestmark = pytest.mark.django_db

BASE = "c2c/credit/"


def _rate_body(order, **kw):
    return {
        "order_id": order.pk,
        "verdict": "good",
        "text": "Great",
        "description": 5,
        "service": 4,
        "logistics": 5,
        **kw,
    }


def test_buyer_rates_seller_replies_and_the_shop_shows_it(
    frozen_clock, api_as, trade, stall, seller
):
    order = trade()
    line = order.lines.get()
    buyer_api = api_as(order.buyer)
    r = buyer_api.post(
        BASE + "ratings",
        _rate_body(
            order,
            product_reviews=[{"order_line_id": line.pk, "rating": 5, "text": "Yum"}],
        ),
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["verdict"], body["points"], body["counted"]) == ("good", 1, True)
    assert body["scores"] == {"description": 5, "service": 4, "logistics": 5}

    r = api_as(seller).post(BASE + f"ratings/{order.pk}/reply", {"text": "谢谢"})
    assert r.status_code == 200, r.content
    assert r.json()["reply"] == "谢谢"

    shop = stall["shop"]
    credit = api_as().get(BASE + f"shops/{shop.pk}").json()
    assert (credit["points"], credit["level"]["tier"], credit["good_rate"]) == (
        1,
        "none",
        "100.00",
    )
    assert [s["shop"] for s in credit["scores"]] == ["5.00", "4.00", "5.00"]
    page = api_as().get(BASE + f"shops/{shop.pk}/ratings").json()
    assert page["count"] == 1
    item = page["items"][0]
    assert (item["text"], item["reply"], item["buyer"]) == ("Great", "谢谢", "U**")
    assert "order_id" not in item


def test_bad_input_is_a_422_and_changes_nothing(frozen_clock, api_as, trade):
    order = trade()
    api = api_as(order.buyer)
    for body in (
        _rate_body(order, verdict="great"),
        _rate_body(order, description=6),
        _rate_body(order, service="5"),
        _rate_body(order, text="x" * 501),
    ):
        r = api.post(BASE + "ratings", body)
        assert r.status_code == 422, body
        assert "error" in r.json()
    assert TradeRating.objects.count() == 0


def test_rating_someone_elses_order_is_a_404(frozen_clock, api_as, trade, user_factory):
    order = trade()
    r = api_as(user_factory()).post(BASE + "ratings", _rate_body(order))
    assert r.status_code == 404
    assert TradeRating.objects.count() == 0


def test_rating_twice_is_a_409(frozen_clock, api_as, trade):
    order = trade()
    api = api_as(order.buyer)
    assert api.post(BASE + "ratings", _rate_body(order)).status_code == 201
    r = api.post(BASE + "ratings", _rate_body(order, verdict="bad"))
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "already_rated"


def test_amend_through_the_api(frozen_clock, api_as, trade):
    order = trade()
    api = api_as(order.buyer)
    api.post(BASE + "ratings", _rate_body(order, verdict="bad"))
    r = api.patch(BASE + f"ratings/{order.pk}", {"verdict": "good", "text": "OK"})
    assert r.status_code == 200, r.content
    assert (r.json()["verdict"], r.json()["points"]) == ("good", 1)
    r = api.patch(BASE + f"ratings/{order.pk}", {"verdict": "good"})
    assert r.status_code == 409


def test_a_rating_is_seen_only_by_its_buyer_and_the_shop(
    frozen_clock, api_as, trade, seller, user_factory
):
    order = trade()
    api_as(order.buyer).post(BASE + "ratings", _rate_body(order))
    assert api_as(order.buyer).get(BASE + f"ratings/{order.pk}").status_code == 200
    assert api_as(seller).get(BASE + f"ratings/{order.pk}").status_code == 200
    assert api_as(user_factory()).get(BASE + f"ratings/{order.pk}").status_code == 404
    assert api_as().get(BASE + f"ratings/{order.pk}").status_code == 401


def test_a_stranger_cannot_reply(frozen_clock, api_as, trade, user_factory):
    order = trade()
    api_as(order.buyer).post(BASE + "ratings", _rate_body(order))
    r = api_as(user_factory()).post(BASE + f"ratings/{order.pk}/reply", {"text": "x"})
    assert r.status_code == 404
    assert TradeRating.objects.get().reply == ""


def test_growth_is_for_the_shop_staff_only(
    frozen_clock, api_as, trade, stall, seller, user_factory
):
    trade()
    shop = stall["shop"]
    r = api_as(seller).get(BASE + f"shops/{shop.pk}/growth", {"days": 7})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (len(body["days"]), body["orders"], body["buyers"]) == (7, 1, 1)
    assert [c["code"] for c in body["checklist"]] == [
        "score_description",
        "score_service",
        "score_logistics",
        "late_shipping",
        "returns",
        "bad_ratings",
        "dispute_rate",
        "disputes_lost",
    ]
    r = api_as(user_factory()).get(BASE + f"shops/{shop.pk}/growth")
    assert r.status_code == 404
    r = api_as(seller).get(BASE + f"shops/{shop.pk}/growth", {"days": 0})
    assert r.status_code == 422


def test_operators_exclude_and_restore(
    frozen_clock, api_as, trade, stall, operator, seller
):
    order = trade()
    api_as(order.buyer).post(BASE + "ratings", _rate_body(order))
    r = api_as(seller).post(
        BASE + "exclusions", {"order_id": order.pk, "reason": "mine"}
    )
    assert r.status_code == 404
    assert CreditExclusion.objects.count() == 0
    ops = api_as(operator)
    for _ in range(2):
        r = ops.post(BASE + "exclusions", {"order_id": order.pk, "reason": "Brushing"})
        assert r.status_code == 201, r.content
    assert api_as().get(BASE + f"shops/{stall['shop'].pk}").json()["points"] == 0
    r = ops.post(BASE + f"exclusions/{order.pk}/restore", {"reason": "Appeal"})
    assert r.status_code == 204
    assert api_as().get(BASE + f"shops/{stall['shop'].pk}").json()["points"] == 1


def test_levels_table(api_as, db):
    levels = api_as().get(BASE + "levels").json()
    assert len(levels) == 21
    assert levels[1] == {
        "rank": 1,
        "tier": "heart",
        "icons": 1,
        "symbol": "♥",
        "low": 4,
        "high": 10,
    }
    assert levels[-1]["high"] is None


def test_unknown_shop_is_a_404(api_as, db):
    assert api_as().get(BASE + "shops/999999").status_code == 404
    assert api_as().get(BASE + "shops/999999/ratings").status_code == 404
