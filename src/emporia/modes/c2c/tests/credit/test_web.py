"""The web pages of ratings and credit: the buyer's rating page, the credit on
shop and product pages (with visit recording), the seller's ratings and
growth center — and strangers refused."""

from __future__ import annotations

import pytest
from django.test import Client

from emporia.modes.c2c.models import ShopVisit, TradeRating
from emporia.modes.c2c.services import credit

pytestmark = pytest.mark.django_db


def _client(user=None, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def _form(verdict="good", **kw):
    return {
        "verdict": verdict,
        "description": "5",
        "service": "4",
        "logistics": "5",
        "text": "Lovely",
        **kw,
    }


def test_buyer_rates_on_the_rating_page(frozen_clock, trade):
    order = trade()
    client = _client(order.buyer)
    page = client.get(f"/account/orders/{order.pk}/")
    assert f"/account/orders/{order.pk}/rate/" in page.content.decode()
    r = client.get(f"/account/orders/{order.pk}/rate/")
    assert r.status_code == 200
    assert "How was this trade?" in r.content.decode()
    r = client.post(f"/account/orders/{order.pk}/rate/", _form())
    assert r.status_code == 302
    rating = TradeRating.objects.get()
    assert (rating.verdict, rating.service_score, rating.text) == ("good", 4, "Lovely")
    r = client.get(f"/account/orders/{order.pk}/rate/")
    assert "Your rating" in r.content.decode()
    assert "Change your rating" not in r.content.decode()


def test_an_invalid_rating_form_is_a_422(frozen_clock, trade):
    order = trade()
    r = _client(order.buyer).post(
        f"/account/orders/{order.pk}/rate/", _form(description="9")
    )
    assert r.status_code == 422
    assert TradeRating.objects.count() == 0


def test_a_late_rating_shows_the_reason(frozen_clock, trade):
    order = trade()
    frozen_clock.advance(days=16)
    r = _client(order.buyer).post(f"/account/orders/{order.pk}/rate/", _form())
    assert r.status_code == 422
    assert "within 15 days" in r.content.decode()
    assert TradeRating.objects.count() == 0


def test_buyer_amends_a_bad_rating_on_the_page(frozen_clock, trade, rate):
    order = trade()
    rate(order, "bad")
    client = _client(order.buyer)
    assert (
        "Change your rating"
        in client.get(f"/account/orders/{order.pk}/rate/").content.decode()
    )
    r = client.post(
        f"/account/orders/{order.pk}/rate/", {"verdict": "good", "text": "Fixed"}
    )
    assert r.status_code == 302
    assert TradeRating.objects.get().verdict == "good"


def test_another_user_cannot_open_the_rating_page(frozen_clock, trade, user_factory):
    order = trade()
    client = _client(user_factory())
    assert client.get(f"/account/orders/{order.pk}/rate/").status_code == 404
    assert client.post(f"/account/orders/{order.pk}/rate/", _form()).status_code == 404
    assert TradeRating.objects.count() == 0


def test_shop_page_shows_credit_ratings_and_replies_and_counts_visitors(
    frozen_clock, trade, rate, stall, seller
):
    shop = stall["shop"]
    orders = [trade() for _ in range(4)]
    for order in orders:
        rate(order, "good", text=f"Rated {order.pk}")
    credit.reply_to_rating(user=seller, order_id=orders[0].pk, text="Thank you!")
    visitor = _client()
    r = visitor.get(f"/shops/{shop.pk}/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "Seller level: 1 hearts" in html
    assert "♥" in html
    assert "4 credit points" in html
    assert "100.00% good ratings" in html
    assert "Thank you!" in html
    assert html.count('data-testid="trade-rating"') == 4
    visitor.get(f"/shops/{shop.pk}/")
    _client(seller).get(f"/shops/{shop.pk}/")  # the shop's own staff do not count
    assert ShopVisit.objects.filter(shop=shop).count() == 1


def test_chinese_shop_page(frozen_clock, trade, rate, stall):
    rate(trade(), "good")
    html = _client(language="zh-hans").get(f"/shops/{stall['shop'].pk}/")
    assert "卖家信用" in html.content.decode()


def test_product_page_shop_card_shows_the_level_and_counts_the_visit(
    frozen_clock, stall, buyer
):
    product = stall["sku"].product
    r = _client(buyer).get(f"/p/{product.pk}/")
    assert r.status_code == 200
    assert "New seller" in r.content.decode()
    visit = ShopVisit.objects.get()
    assert (visit.shop_id, visit.user_id, visit.product_id) == (
        stall["shop"].pk,
        buyer.pk,
        product.pk,
    )


def test_seller_replies_from_the_ratings_page(frozen_clock, trade, rate, stall, seller):
    order = trade()
    rate(order, "neutral", text="So-so")
    client = _client(seller)
    r = client.get(f"/seller/{stall['shop'].pk}/ratings/")
    assert r.status_code == 200
    assert "So-so" in r.content.decode()
    r = client.post(
        f"/seller/{stall['shop'].pk}/ratings/{order.pk}/reply/", {"text": "Sorry"}
    )
    assert r.status_code == 302
    assert TradeRating.objects.get().reply == "Sorry"


def test_strangers_cannot_see_or_reply_in_the_seller_center(
    frozen_clock, trade, rate, stall, user_factory
):
    order = trade()
    rate(order)
    client = _client(user_factory())
    shop = stall["shop"].pk
    assert client.get(f"/seller/{shop}/ratings/").status_code == 404
    assert client.get(f"/seller/{shop}/growth/").status_code == 404
    r = client.post(f"/seller/{shop}/ratings/{order.pk}/reply/", {"text": "x"})
    assert r.status_code == 404
    assert TradeRating.objects.get().reply == ""


def test_growth_center_page(frozen_clock, trade, rate, stall, seller):
    rate(trade(), "bad", (2, 2, 2))
    r = _client(seller).get(f"/seller/{stall['shop'].pk}/growth/?days=7")
    html = r.content.decode()
    assert r.status_code == 200
    assert "What holds the shop back" in html
    assert "Bad ratings, last 180 days" in html
    assert 'id="growth-data"' in html
    assert 'data-testid="growth-buyers">1<' in html
