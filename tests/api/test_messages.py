"""The API's own messages in the request's language: a body that is not JSON,
no credentials, an unknown object. The code is the same whatever the
language; only the words change."""

import pytest
from django.test import Client

from emporia.core.accounts.models import ApiToken
from emporia.core.checkout.models import Cart, CartLine
from emporia.modes.social.models import WaterGrant

pytestmark = pytest.mark.django_db


def nothing_in_carts():
    return (Cart.objects.count(), CartLine.objects.count()) == (0, 0)


def error_of(resp):
    return resp.json()["error"]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The request body is not valid JSON"),
        ("zh-hans", "请求体不是有效的 JSON"),
    ],
)
def test_a_body_that_is_not_json(api_as, buyer, language, message):
    resp = api_as(buyer, language=language).post("checkout/cart/lines", raw="{nope")

    assert resp.status_code == 400
    assert error_of(resp) == {"code": "malformed_json", "message": message}
    assert nothing_in_carts()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Log in or send a valid bearer token"),
        ("zh-hans", "请登录或提供有效的访问令牌"),
    ],
)
def test_an_unauthenticated_call(api_as, listed_sku, language, message):
    sku = listed_sku()

    resp = api_as(language=language).post(
        "checkout/cart/lines", {"sku_id": sku.pk, "quantity": 1}
    )

    assert resp.status_code == 401
    assert error_of(resp) == {"code": "unauthenticated", "message": message}
    assert nothing_in_carts()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The CSRF check failed: reload the page and try again"),
        ("zh-hans", "CSRF 校验失败，请刷新页面后重试"),
    ],
)
def test_a_web_session_without_its_csrf_token(buyer, listed_sku, language, message):
    sku = listed_sku()
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    browser.force_login(buyer)

    resp = browser.post(
        "/api/checkout/cart/lines",
        {"sku_id": sku.pk, "quantity": 1},
        content_type="application/json",
    )

    assert resp.status_code == 403
    assert error_of(resp) == {"code": "http_error", "message": message}
    assert nothing_in_carts()


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Wrong login or password"), ("zh-hans", "账号或密码错误")],
)
def test_a_wrong_password(api_as, user_factory, language, message):
    user_factory(email="ann@example.com")

    resp = api_as(language=language).post(
        "accounts/tokens", {"login": "ann@example.com", "password": "wrong horse"}
    )

    assert resp.status_code == 401
    assert error_of(resp) == {"code": "unauthenticated", "message": message}
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "No such browse task"), ("zh-hans", "该浏览任务不存在")],
)
def test_an_unknown_browse_task(api_as, buyer, language, message):
    resp = api_as(buyer, language=language).post(
        f"social/orchard/browse/{'x' * 65}/claim"
    )

    assert resp.status_code == 404
    assert error_of(resp) == {"code": "not_found", "message": message}
    assert WaterGrant.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "message"), [("en", "Not found"), ("zh-hans", "未找到")]
)
def test_an_operators_page_is_not_found_for_a_buyer(api_as, buyer, language, message):
    resp = api_as(buyer, language=language).get("money/trial-balance")

    assert resp.status_code == 404
    assert error_of(resp) == {"code": "not_found", "message": message}
