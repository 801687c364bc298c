"""Webhooks go to public addresses only, unless an operator allows a network
(server-side request forgery: a shop must not make the platform post to its
own machines, its cache, or the cloud's metadata service)."""

import pytest
from django.db import transaction
from django.utils import translation

from emporia.infra.outbox.models import OutboxEvent
from emporia.infra.outbox.services import emit, relay_pending
from emporia.infra.webhooks import addresses, services
from emporia.infra.webhooks.models import WebhookDelivery, WebhookEndpoint
from emporia.infra.webhooks.tests.test_services import ParcelShipped
from emporia.kernel.errors import ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_only(settings):
    settings.EMPORIA = {**settings.EMPORIA, "WEBHOOK_ALLOWED_NETWORKS": []}


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",  # this machine's Redis
        "http://localhost:8000/admin/",
        "http://api.localhost/x",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://10.0.0.8/erp",
        "http://192.168.1.1/",
        "http://[::1]:5432/",
        "http://[::ffff:127.0.0.1]/",  # IPv4 written as IPv6
        "http://100.64.0.1/",  # carrier-grade NAT (shared space)
        "http://0.0.0.0/",
    ],
)
def test_registering_a_private_or_local_address_is_refused(public_only, url):
    before = WebhookEndpoint.objects.count()

    with (
        translation.override("en"),
        pytest.raises(ValidationFailed, match="public addresses only") as refused,
    ):
        services.create_endpoint(owner_kind="shop", owner_id=1, url=url, topics=["*"])

    assert refused.value.details == {"field": "url"}
    assert WebhookEndpoint.objects.count() == before


def test_the_api_answers_422_with_the_reason(
    public_only, api_as, user_factory, shop_factory
):
    owner = user_factory()
    shop = shop_factory(owner=owner)

    r = api_as(owner).post(
        f"webhooks/shops/{shop.pk}/endpoints",
        {"url": "http://169.254.169.254/latest/", "topics": ["*"]},
    )

    assert r.status_code == 422
    assert "public addresses only" in r.json()["error"]["message"]
    assert not WebhookEndpoint.objects.exists()


def test_the_reason_is_worded_in_the_requests_language(
    public_only, api_as, user_factory, shop_factory
):
    owner = user_factory()
    shop = shop_factory(owner=owner)

    r = api_as(owner, language="zh-hans").post(
        f"webhooks/shops/{shop.pk}/endpoints",
        {"url": "http://169.254.169.254/latest/", "topics": ["*"]},
    )

    assert r.status_code == 422
    assert r.json()["error"]["message"] == (
        "169.254.169.254 是内网、本机回环或链路本地地址，Webhook 只能发送到公网地址"
    )
    assert r.json()["error"]["details"] == {"field": "url"}
    assert not WebhookEndpoint.objects.exists()


def test_a_public_name_or_address_is_accepted(public_only):
    made = services.create_endpoint(
        owner_kind="shop", owner_id=1, url="https://erp.example.com/h", topics=["*"]
    )
    assert made.url == "https://erp.example.com/h"
    assert addresses.resolve("https://93.184.215.14:8443/h?a=1") == addresses.Target(
        url="https://93.184.215.14:8443/h?a=1",
        host_header="93.184.215.14:8443",
        tls_name=None,
    )


def test_an_allowed_network_may_be_reached(settings):
    settings.EMPORIA = {
        **settings.EMPORIA,
        "WEBHOOK_ALLOWED_NETWORKS": ["10.20.0.0/16"],
    }

    services.create_endpoint(
        owner_kind="shop", owner_id=1, url="http://10.20.3.4/erp", topics=["*"]
    )
    with pytest.raises(ValidationFailed):
        services.create_endpoint(
            owner_kind="shop", owner_id=1, url="http://10.21.3.4/erp", topics=["*"]
        )


def test_a_delivery_to_a_name_that_now_resolves_privately_is_refused_and_logged(
    receiver, settings
):
    # given an endpoint whose name resolved publicly when it was registered,
    # and resolves to this machine now (a DNS change, or rebinding): here a
    # name that always resolves to loopback, registered past the check
    url = receiver.url.replace("127.0.0.1", "localhost")
    WebhookEndpoint.objects.create(
        owner_kind="platform", url=url, topics=["*"], secret="whsec_x"
    )
    settings.EMPORIA = {**settings.EMPORIA, "WEBHOOK_ALLOWED_NETWORKS": []}
    with transaction.atomic():
        emit(ParcelShipped(shop_id=1, parcel="SF1"))
    relay_pending()

    # when the delivery job runs
    assert services.deliver_due() == 1

    # then nothing was sent, and the attempt says why
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    attempt = delivery.log.get()
    assert delivery.status == WebhookDelivery.Status.PENDING  # retried later
    assert attempt.status_code is None
    assert "not a public address" in attempt.error
    assert OutboxEvent.objects.count() == 1
