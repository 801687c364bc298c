"""The API's own messages in the request's language: a body that is not JSON,
a request of the wrong shape (reported by django-ninja and pydantic before a
service runs), no credentials, an unknown object. The code and the field
paths are the same whatever the language; only the words change."""

import pytest
from django.test import Client

from emporia.api import errors
from emporia.core.accounts.models import Address, ApiToken
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
    ("language", "message", "problem"),
    [
        ("en", "sku_id: required", "required"),
        ("zh-hans", "sku_id：必填", "必填"),
    ],
)
def test_a_missing_field(api_as, buyer, language, message, problem):
    resp = api_as(buyer, language=language).post("checkout/cart/lines", {"quantity": 1})

    assert resp.status_code == 422
    assert error_of(resp) == {
        "code": "validation_failed",
        "message": message,
        "details": {"fields": [{"field": "body.payload.sku_id", "message": problem}]},
    }
    assert nothing_in_carts()


@pytest.mark.parametrize(
    ("language", "message", "problem"),
    [
        ("en", "quantity: must be greater than 0", "must be greater than 0"),
        ("zh-hans", "quantity：须大于 0", "须大于 0"),
        (None, "quantity：须大于 0", "须大于 0"),  # no Accept-Language: the platform's
    ],
)
def test_a_negative_quantity(api_as, buyer, listed_sku, language, message, problem):
    sku = listed_sku()

    resp = api_as(buyer, language=language).post(
        "checkout/cart/lines", {"sku_id": sku.pk, "quantity": -1}
    )

    assert resp.status_code == 422
    assert error_of(resp) == {
        "code": "validation_failed",
        "message": message,
        "details": {"fields": [{"field": "body.payload.quantity", "message": problem}]},
    }
    assert nothing_in_carts()


@pytest.mark.parametrize(
    ("language", "message", "problem"),
    [
        (
            "en",
            "recipient: must have at most 80 characters",
            "must have at most 80 characters",
        ),
        ("zh-hans", "recipient：不能超过 80 个字符", "不能超过 80 个字符"),
    ],
)
def test_a_string_that_is_too_long(api_as, buyer, language, message, problem):
    address = {
        "recipient": "李" * 81,
        "phone": "139 0013 9000",
        "city": "上海市",
        "line1": "南京西路 1 号",
    }

    resp = api_as(buyer, language=language).post("accounts/addresses", address)

    assert resp.status_code == 422
    assert error_of(resp) == {
        "code": "validation_failed",
        "message": message,
        "details": {
            "fields": [{"field": "body.payload.recipient", "message": problem}]
        },
    }
    assert Address.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "message", "problems"),
    [
        (
            "en",
            "sku_id: must be a whole number; quantity: must be greater than 0",
            ["must be a whole number", "must be greater than 0"],
        ),
        (
            "zh-hans",
            "sku_id：须为整数；quantity：须大于 0",
            ["须为整数", "须大于 0"],
        ),
    ],
)
def test_two_problems_are_one_sentence_each(api_as, buyer, language, message, problems):
    resp = api_as(buyer, language=language).post(
        "checkout/cart/lines", {"sku_id": "tea", "quantity": 0}
    )

    assert resp.status_code == 422
    assert error_of(resp)["message"] == message
    assert error_of(resp)["details"]["fields"] == [
        {"field": "body.payload.sku_id", "message": problems[0]},
        {"field": "body.payload.quantity", "message": problems[1]},
    ]
    assert nothing_in_carts()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "sort: must be 'relevance', 'price_asc', 'price_desc', 'newest', "
            "'sales', or 'rating'; page: must be at least 1",
        ),
        (
            "zh-hans",
            "sort：须为 'relevance'、'price_asc'、'price_desc'、'newest'、'sales'"
            "或'rating'；page：不能小于 1",
        ),
    ],
)
def test_query_parameters_out_of_range_or_not_a_choice(api_as, language, message):
    resp = api_as(language=language).get("search/", {"page": 0, "sort": "cheapest"})

    assert resp.status_code == 422
    error = error_of(resp)
    assert error["code"] == "validation_failed"
    assert error["message"] == message
    assert [f["field"] for f in error["details"]["fields"]] == [
        "query.sort",
        "query.page",
    ]


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


def test_a_problem_we_have_not_worded_keeps_pydantics_words():
    problem = {
        "type": "uuid_parsing",
        "loc": ("body", "payload", "ref"),
        "msg": "Input should be a valid UUID, invalid length",
    }

    assert errors._describe(problem) == (
        "ref: Input should be a valid UUID, invalid length"
    )


@pytest.mark.parametrize(
    "body",
    [
        {"sku_id": True, "quantity": 1},  # pydantic's lax mode made this SKU 1
        {"sku_id": "1", "quantity": 1},
        {"sku_id": 1, "quantity": True},
        {"sku_id": 1, "quantity": 1.0},
    ],
)
def test_a_number_in_a_body_must_be_a_json_whole_number(api_as, buyer, body):
    resp = api_as(buyer).post("checkout/cart/lines", body)

    assert resp.status_code == 422
    assert error_of(resp)["message"].endswith(": must be a whole number")
    assert nothing_in_carts()


@pytest.mark.parametrize("raw", ["[]", "1", "null", '"tea"', '[{"sku_id": 1}]'])
@pytest.mark.parametrize(
    ("language", "message", "problem"),
    [
        ("en", "The request body must be a JSON object", "must be an object"),
        ("zh-hans", "请求体须为 JSON 对象", "须为对象"),
    ],
)
def test_a_body_that_is_json_but_not_an_object_is_named_so(
    api_as, buyer, raw, language, message, problem
):
    resp = api_as(buyer, language=language).post("checkout/cart/lines", raw=raw)

    assert resp.status_code == 422
    assert error_of(resp) == {
        "code": "validation_failed",
        "message": message,
        "details": {"fields": [{"field": "body", "message": problem}]},
    }
    assert nothing_in_carts()
