"""Sign-up, log-in, the session cart, checkout and the buyer's orders."""

from __future__ import annotations

import re

import pytest

from emporia.core.checkout.models import Checkout
from emporia.core.orders.models import Order

from .conftest import title

pytestmark = pytest.mark.django_db


def _key(response) -> str:
    return re.search(
        r'name="idempotency_key" value="([^"]+)"', response.content.decode()
    ).group(1)


def test_sign_up_logs_in_and_keeps_the_session_cart(client, teapot):
    client.post("/cart/add/", {"sku_id": teapot.small.pk, "quantity": 2})
    response = client.post(
        "/account/signup/",
        {
            "display_name": "小明",
            "email": "ming@example.com",
            "password": "a long passphrase 123",
        },
    )
    assert response.status_code == 302
    cart = client.get("/cart/")
    assert "小明" in cart.content.decode()
    assert 'id="cart-count"' in cart.content.decode()
    assert re.search(r'id="cart-count"[^>]*>2<', cart.content.decode())


def test_sign_up_errors_are_shown_next_to_the_field(client, user_factory):
    user_factory(email="taken@example.com")
    weak = client.post(
        "/account/signup/",
        {"display_name": "A", "email": "a@example.com", "password": "123"},
    )
    taken = client.post(
        "/account/signup/",
        {
            "display_name": "B",
            "email": "taken@example.com",
            "password": "a long passphrase 1",
        },
    )
    nothing = client.post("/account/signup/", {"display_name": "C", "password": "x"})
    assert weak.status_code == taken.status_code == nothing.status_code == 200
    assert 'aria-invalid="true"' in weak.content.decode()
    assert "该邮箱或手机号已注册" in taken.content.decode()  # the page's language
    assert "errorlist" in nothing.content.decode()


def test_log_in_by_mobile_merges_the_anonymous_cart(client, user_factory, teapot):
    user = user_factory(mobile="13900000001")
    client.post("/cart/add/", {"sku_id": teapot.small.pk, "quantity": 1})
    response = client.post(
        "/account/login/",
        {
            "login": "139-0000-0001",
            "password": "correct horse battery",
            "next": "/cart/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/cart/"
    body = client.get("/cart/").content.decode()
    assert user.display_name in body
    assert "西湖龙井绿茶" in body


def test_wrong_password_shows_the_form_again(client, user):
    response = client.post("/account/login/", {"login": user.email, "password": "nope"})
    assert response.status_code == 200
    assert "账号或密码不正确" in response.content.decode()


def test_login_refuses_an_offsite_next(client, user):
    response = client.post(
        "/account/login/",
        {
            "login": user.email,
            "password": "correct horse battery",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/"


def test_cart_quantities_can_be_changed_and_removed(client, teapot):
    client.post("/cart/add/", {"sku_id": teapot.small.pk, "quantity": 1})
    body = client.get("/cart/").content.decode()
    line_id = re.search(r"/cart/lines/(\d+)/", body).group(1)
    client.post(f"/cart/lines/{line_id}/", {"quantity": 5})
    assert 'value="5"' in client.get("/cart/").content.decode()
    too_many = client.post(f"/cart/lines/{line_id}/", {"quantity": 50}, follow=True)
    assert "仅剩 20 件" in too_many.content.decode()  # in the page's language
    client.post(f"/cart/lines/{line_id}/", {"quantity": 0})
    assert "西湖龙井绿茶" not in client.get("/cart/").content.decode()


def test_adding_a_sold_out_sku_says_so(client, teapot):
    response = client.post(
        "/cart/add/", {"sku_id": teapot.big.pk, "quantity": 1}, follow=True
    )
    assert "仅剩 0 件" in response.content.decode()
    bad = client.post("/cart/add/", {"sku_id": "x", "quantity": "-1"})
    assert bad.status_code == 302


def test_checkout_needs_login(client):
    response = client.get("/checkout/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=/checkout/")


def test_checkout_places_once_on_double_submit_and_redirects_to_pay(
    client_as, shopper, teapot
):
    client = client_as(shopper)
    client.post("/cart/add/", {"sku_id": teapot.small.pk, "quantity": 2})
    page = client.get("/checkout/")
    assert page.status_code == 200
    assert title(page).startswith("结账") or "Checkout" in title(page)
    assert "¥176.00" in page.content.decode()
    data = {
        "address_id": shopper.default_address.pk,
        "note": "",
        "idempotency_key": _key(page),
    }
    first = client.post("/checkout/", data)
    second = client.post("/checkout/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"].startswith("/sandbox-pay/")
    assert second["Location"] == first["Location"]
    assert Order.objects.filter(buyer=shopper).count() == 1
    assert Checkout.objects.filter(buyer=shopper).count() == 1


def test_checkout_with_someone_elses_address_is_refused(
    client_as, shopper, teapot, address_factory
):
    other = address_factory()
    client = client_as(shopper)
    client.post("/cart/add/", {"sku_id": teapot.small.pk, "quantity": 1})
    key = _key(client.get("/checkout/"))
    response = client.post(
        "/checkout/", {"address_id": other.pk, "idempotency_key": key}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert Order.objects.count() == 0


def test_addresses_add_and_validate(client_as, buyer):
    client = client_as(buyer)
    bad = client.post(
        "/account/addresses/",
        {
            "recipient": "李四",
            "phone": "abc",
            "country": "CN",
            "city": "上海",
            "line1": "路 1 号",
        },
    )
    assert bad.status_code == 200
    assert "联系电话格式不正确" in bad.content.decode()
    good = client.post(
        "/account/addresses/",
        {
            "recipient": "李四",
            "phone": "13800000000",
            "country": "CN",
            "city": "上海",
            "line1": "路 1 号",
            "next": "/checkout/",
        },
    )
    assert good["Location"] == "/checkout/"
    assert "李四" in client.get("/account/addresses/").content.decode()


def test_api_tokens_are_shown_once_and_revocable(client_as, buyer):
    client = client_as(buyer)
    response = client.post("/account/tokens/", {"name": "cli"})
    raw = re.search(r"emp_[\w-]{20,}", response.content.decode()).group(0)
    listing = client.get("/account/tokens/").content.decode()
    assert raw not in listing
    assert raw[:12] in listing
    token_id = re.search(r"/account/tokens/(\d+)/revoke/", listing).group(1)
    client.post(f"/account/tokens/{token_id}/revoke/")
    assert raw[:12] not in client.get("/account/tokens/").content.decode()


def test_account_pages_need_login(client):
    for url in (
        "/account/orders/",
        "/account/addresses/",
        "/account/tokens/",
        "/account/orders/1/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/login/")


def test_paid_order_detail_shows_the_timeline(client_as, paid_order):
    order = paid_order("25.00")
    client = client_as(order.buyer)
    listing = client.get("/account/orders/")
    assert order.number in listing.content.decode()
    detail = client.get(f"/account/orders/{order.pk}/")
    body = detail.content.decode()
    assert detail.status_code == 200
    assert order.number in title(detail)
    assert body.count("<li><strong>") >= 2  # placed, paid


def test_another_buyers_order_is_404(client_as, paid_order, buyer):
    order = paid_order()
    client = client_as(buyer)
    assert client.get(f"/account/orders/{order.pk}/").status_code == 404
    assert client.post(f"/account/orders/{order.pk}/confirm/").status_code == 404
    assert (
        client.post(f"/account/orders/{order.pk}/review/", {"rating": 5}).status_code
        == 404
    )


def test_confirm_review_and_return(client_as, paid_order, seller_of):
    from emporia.core.fulfilment import services as fulfilment

    order = paid_order("30.00")
    fulfilment.ship_order(
        order=order, by=seller_of(order.shop), carrier="SF", tracking_number="SF1"
    )
    client = client_as(order.buyer)
    early_review = client.post(
        f"/account/orders/{order.pk}/review/",
        {"kind": "product", "order_line_id": order.lines.get().pk, "rating": 5},
    )
    assert early_review.status_code == 422
    confirm = client.post(f"/account/orders/{order.pk}/confirm/")
    assert confirm.status_code == 302
    order.refresh_from_db()
    assert order.status == "completed"
    again = client.post(f"/account/orders/{order.pk}/confirm/")
    assert again.status_code == 409
    review = client.post(
        f"/account/orders/{order.pk}/review/",
        {
            "kind": "product",
            "order_line_id": order.lines.get().pk,
            "rating": 4,
            "text": "<b>好</b>",
        },
    )
    assert review.status_code == 302
    page = client.get(f"/account/orders/{order.pk}/").content.decode()
    assert 'data-testid="reviewed"' in page
    product_page = client.get(f"/p/{order.lines.get().product_id}/").content.decode()
    assert "&lt;b&gt;好&lt;/b&gt;" in product_page
    ret = client.post(
        f"/account/orders/{order.pk}/return/",
        {"reason": "破损", f"line_{order.lines.get().pk}": 1},
    )
    assert ret.status_code == 302
    assert "破损" in client.get(f"/account/orders/{order.pk}/").content.decode()
