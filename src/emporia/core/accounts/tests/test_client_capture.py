"""What the core records for trust and safety: the client (IP, device id) of
logins and checkouts, blanked after the retention period; shop freezing with
history and events; shop demotion in search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from emporia.core.accounts import services
from emporia.core.accounts.clients import DEVICE_COOKIE, clean_device_id
from emporia.core.accounts.models import LoginRecord, Shop, ShopStatusChange
from emporia.core.checkout.models import Checkout
from emporia.core.search import services as search
from emporia.core.search.models import SearchDocument, ShopDemotion
from emporia.infra.outbox.models import OutboxEvent
from emporia.kernel.errors import InvalidTransition, ValidationFailed

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def test_a_web_login_records_the_ip_and_the_device_cookie(user_factory, frozen_clock):
    user = user_factory(email="mei@example.com")
    browser = Client(REMOTE_ADDR="198.51.100.23")
    browser.get("/")  # the first visit sets the device cookie
    device = browser.cookies[DEVICE_COOKIE].value

    browser.post("/account/login/", {"login": "mei@example.com", "password": PASSWORD})

    record = LoginRecord.objects.get(user=user)
    assert (record.channel, record.ip, record.device_id, record.at) == (
        "web",
        "198.51.100.23",
        device,
        frozen_clock.current,
    )
    assert 8 <= len(device) <= 64


def test_an_api_token_login_records_the_device_header(user_factory, api_as):
    user = user_factory(email="bo@example.com")

    answer = api_as().post(
        "accounts/tokens",
        {"login": "bo@example.com", "password": PASSWORD},
        headers={"X-Device-Id": "ios-0f3a9c21"},
    )

    assert answer.status_code == 201
    record = LoginRecord.objects.get(user=user)
    assert (record.channel, record.ip, record.device_id) == (
        "api",
        "127.0.0.1",
        "ios-0f3a9c21",
    )


def test_a_malformed_device_header_is_dropped_for_the_cookie(user_factory, api_as):
    user = user_factory(email="cai@example.com")

    api_as().post(
        "accounts/tokens",
        {"login": "cai@example.com", "password": PASSWORD},
        headers={"X-Device-Id": "<script>"},
    )

    device = LoginRecord.objects.get(user=user).device_id
    assert device != "<script>"
    assert clean_device_id(device) == device  # the browser cookie's fresh id


def test_a_checkout_keeps_the_client(shopper, listed_sku, api_as):
    sku = listed_sku("10.00")

    api_as(shopper).post(
        "checkout/place",
        {
            "lines": [{"sku_id": sku.pk, "quantity": 1}],
            "address_id": shopper.default_address.pk,
        },
        headers={"Idempotency-Key": "k-1", "X-Device-Id": "android-77aa11"},
    )

    checkout = Checkout.objects.get()
    assert (checkout.client_ip, checkout.device_id) == ("127.0.0.1", "android-77aa11")


def test_client_data_is_blanked_after_the_retention_period(
    user_factory, frozen_clock, settings
):
    settings.EMPORIA = {**settings.EMPORIA, "CLIENT_DATA_RETENTION_DAYS": 30}
    user = user_factory()
    old = LoginRecord.objects.create(
        user=user,
        channel="web",
        ip="192.0.2.1",
        device_id="old-device-1",
        at=frozen_clock.current - dt.timedelta(days=31),
    )
    recent = LoginRecord.objects.create(
        user=user,
        channel="web",
        ip="192.0.2.2",
        device_id="new-device-1",
        at=frozen_clock.current - dt.timedelta(days=29),
    )

    assert services.forget_old_logins() == 1
    assert services.forget_old_logins() == 0

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip, old.device_id) == (None, "")
    assert (recent.ip, recent.device_id) == ("192.0.2.2", "new-device-1")


def test_freezing_and_unfreezing_a_shop_is_recorded(shop_factory, operator):
    shop = shop_factory()

    services.freeze_shop(shop=shop, actor=operator, reason="Fake trades")
    with pytest.raises(InvalidTransition):
        services.freeze_shop(shop=shop, actor=operator, reason="again")
    services.unfreeze_shop(shop=shop, actor=operator, reason="Appeal granted")

    shop.refresh_from_db()
    assert shop.status == Shop.Status.ACTIVE
    assert list(
        ShopStatusChange.objects.values_list("from_status", "to_status", "reason")
    ) == [("active", "frozen", "Fake trades"), ("frozen", "active", "Appeal granted")]
    assert list(OutboxEvent.objects.order_by("id").values_list("topic", flat=True)) == [
        "accounts.shop_frozen",
        "accounts.shop_unfrozen",
    ]


def test_freezing_needs_a_reason_and_changes_nothing_without_one(shop_factory):
    shop = shop_factory()

    with pytest.raises(ValidationFailed):
        services.freeze_shop(shop=shop, actor=None, reason=" ")

    shop.refresh_from_db()
    assert shop.status == Shop.Status.ACTIVE
    assert not ShopStatusChange.objects.exists()


def test_a_demotion_survives_a_reindex_and_covers_new_products(
    sku_factory, shop_factory
):
    shop = shop_factory()
    first = sku_factory(product__shop=shop).product
    search.reindex_product(product_id=first.pk)

    assert search.set_shop_demotion(shop_id=shop.pk, demoted=True, reason="r") == 1
    second = sku_factory(product__shop=shop).product
    search.reindex_product(product_id=first.pk)
    search.reindex_product(product_id=second.pk)

    assert list(
        SearchDocument.objects.order_by("id").values_list("demoted", flat=True)
    ) == [True, True]
    assert search.set_shop_demotion(shop_id=shop.pk, demoted=False) == 2
    assert not ShopDemotion.objects.exists()
    with pytest.raises(ValidationFailed):
        search.set_shop_demotion(shop_id=shop.pk, demoted=True, reason="")
