"""Fixtures shared by the whole suite."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from pytest_factoryboy import register

from emporia.core.accounts import services as accounts
from emporia.core.checkout import services as checkout_services
from emporia.core.ledger import services as ledger
from emporia.infra import signing
from emporia.infra.psp.sandbox import services as sandbox_services
from emporia.infra.psp.sandbox.models import SandboxCallback, SandboxCharge
from emporia.kernel import clock as kclock
from tests import factories

register(factories.UserFactory)
register(factories.ShopFactory)
register(factories.CategoryFactory)
register(factories.ProductFactory)
register(factories.SkuFactory)
register(factories.LocationFactory)
register(factories.AddressFactory)


@pytest.fixture
def frozen_clock():
    """Time stands still until the test calls ``frozen_clock.advance(...)``."""
    clock = kclock.FrozenClock(dt.datetime(2026, 11, 11, 10, 0, tzinfo=dt.UTC))
    with kclock.use(clock):
        yield clock


@pytest.fixture(autouse=True)
def no_accounts_remembered_from_other_tests():
    """A test's transaction is rolled back, and with it any ledger account it
    created: the process must not remember one from a test that ran its
    commit callbacks (``django_capture_on_commit_callbacks(execute=True)``)
    and then rolled back. Transactional tests are covered by ``flush``."""
    ledger.forget_accounts()


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Every test starts in English, whatever the last test's requests left
    active: Django's LocaleMiddleware switches the thread's language for a
    request and does not switch it back, so a service called directly would
    otherwise answer in the language of whichever request this worker ran
    last (and the platform's, zh-hans, on a fresh worker). Requests still
    choose their own language; ``translation.override("zh-hans")`` for a
    service's Chinese wording."""
    translation.activate("en")
    yield
    translation.deactivate()


class ApiClient:
    """Talks JSON to /api/ as one user (bearer token), or anonymously.

    It asks for English (``Accept-Language: en``) unless given another
    ``language``: the API answers in the request's language, and without one
    in the platform's (zh-hans); tests of the messages' wording read English.
    """

    def __init__(self, user=None, language="en"):
        self.client = Client()
        self.user = user
        self.headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
        if user is not None:
            _, raw = accounts.create_api_token(user=user, name="test")
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"

    def _call(self, method, path, data=None, headers=None, raw=None):
        kwargs = dict(self.headers)
        for k, v in (headers or {}).items():
            kwargs["HTTP_" + k.upper().replace("-", "_")] = v
        url = path if path.startswith("/") else f"/api/{path}"
        if method in ("get", "delete") and data is None:
            return getattr(self.client, method)(url, **kwargs)
        if method == "get":
            return self.client.get(url, data, **kwargs)
        body = raw if raw is not None else json.dumps(data if data is not None else {})
        return getattr(self.client, method)(
            url, body, content_type="application/json", **kwargs
        )

    def get(self, path, params=None, **kw):
        return self._call("get", path, params, **kw)

    def post(self, path, data=None, **kw):
        return self._call("post", path, data, **kw)

    def put(self, path, data=None, **kw):
        return self._call("put", path, data, **kw)

    def patch(self, path, data=None, **kw):
        return self._call("patch", path, data, **kw)

    def delete(self, path, **kw):
        return self._call("delete", path, None, **kw)


@pytest.fixture
def api_as():
    """``api_as(user)`` → an ApiClient authenticated as that user; ``api_as()``
    anonymous; ``api_as(user, language="zh-hans")`` in Chinese."""
    return ApiClient


@pytest.fixture
def buyer(user_factory):
    return user_factory(display_name="Buyer")


@pytest.fixture
def operator(user_factory):
    return user_factory(display_name="Operator", is_staff=True)


@pytest.fixture
def listed_sku(shop_factory, sku_factory):
    """``listed_sku(price="19.90", quantity=10, shop=None)`` → a SKU for sale with stock."""

    def make(price="19.90", quantity=10, shop=None, currency="CNY", **kwargs):
        shop = shop or shop_factory()
        sku = sku_factory(
            product__shop=shop, price=Decimal(price), currency=currency, **kwargs
        )
        if quantity:
            factories.stock(sku, quantity)
        return sku

    return make


@pytest.fixture
def shopper(buyer, address_factory):
    """A buyer with a default address in their address book."""
    buyer.default_address = address_factory(user=buyer)
    return buyer


class SandboxDriver:
    """Acts as the buyer on the sandbox gateway's hosted page, and as the
    gateway (or a forger) posting callbacks to the platform."""

    def __init__(self):
        self.client = Client()

    def charge(self, payment):
        return SandboxCharge.objects.get(provider_ref=payment.provider_ref)

    def pay(self, payment):
        return self.client.post(payment.redirect_url, {"action": "pay"})

    def decline(self, payment):
        return self.client.post(payment.redirect_url, {"action": "decline"})

    def _post(self, body: dict, secret: str | None = None):
        raw = json.dumps(body, separators=(",", ":")).encode()
        signature = signing.sign(secret or sandbox_services.secret(), raw)
        return self.client.post(
            "/api/payments/callbacks/sandbox",
            raw,
            content_type="application/json",
            HTTP_X_SANDBOX_SIGNATURE=signature,
        )

    def has_callbacks(self, payment):
        return SandboxCallback.objects.filter(charge=self.charge(payment)).exists()

    def resend_last(self, payment):
        callback = SandboxCallback.objects.filter(charge=self.charge(payment)).latest(
            "id"
        )
        return self._post(callback.body)

    def post_callback(
        self, payment, *, status, amount_minor=None, merchant_ref=None, secret=None
    ):
        charge = self.charge(payment)
        return self._post(
            {
                "event_id": f"evt_test_{uuid.uuid4().hex}",
                "provider_ref": charge.provider_ref,
                "merchant_ref": merchant_ref or payment.reference,
                "status": status,
                "amount_minor": payment.amount_minor
                if amount_minor is None
                else amount_minor,
                "currency": payment.currency,
                "occurred_at": kclock.now().isoformat(),
            },
            secret=secret,
        )


@pytest.fixture
def sandbox():
    return SandboxDriver()


@pytest.fixture
def place(user_factory, address_factory, listed_sku):
    """``place(price, quantity=1, stock=10)`` → (order, payment) placed by a
    fresh buyer through the checkout service, awaiting payment."""

    def make(price="19.90", quantity=1, stock=10, buyer=None):
        buyer = buyer or user_factory()
        address = address_factory(user=buyer)
        sku = listed_sku(price, quantity=stock)
        placed = checkout_services.place_order(
            buyer=buyer,
            idempotency_key=uuid.uuid4().hex,
            lines=[checkout_services.WantedLine(sku.pk, quantity)],
            address_id=address.pk,
        )
        order = placed.checkout.orders.get()
        return order, placed.checkout.payment

    return make


@pytest.fixture
def paid_order(place, sandbox):
    """``paid_order(price, quantity=1, stock=10)`` → an order paid through the sandbox."""

    def make(*args, **kwargs):
        order, payment = place(*args, **kwargs)
        sandbox.pay(payment)
        order.refresh_from_db()
        assert order.status == "paid"
        return order

    return make


_DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}
_DJANGO_DB_ARGS = (
    "transaction",
    "reset_sequences",
    "databases",
    "serialized_rollback",
    "available_apps",
)


def pytest_collection_modifyitems(items):
    """A test that uses the database may use every one: the platform's and
    the sandbox gateway's own (settings.DATABASES). Paying goes through both,
    and pytest-django otherwise opens only "default" to a test — the sandbox's
    rows would then escape the test's rollback or be refused. Each test's
    ``django_db`` mark keeps its other arguments."""
    for item in items:
        mark = item.get_closest_marker("django_db")
        if mark is None and not _DB_FIXTURES & set(item.fixturenames):
            continue
        kwargs = dict(zip(_DJANGO_DB_ARGS, mark.args, strict=False)) if mark else {}
        kwargs.update(mark.kwargs if mark else {})
        kwargs["databases"] = "__all__"
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)
