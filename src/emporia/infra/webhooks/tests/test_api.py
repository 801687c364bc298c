import pytest
from django.db import transaction

from emporia.infra.outbox.services import emit, relay_pending
from emporia.infra.webhooks import services
from emporia.infra.webhooks.models import WebhookDelivery, WebhookEndpoint

from .test_services import ParcelShipped


@pytest.fixture
def staff(user_factory):
    return user_factory(display_name="Shop owner")


@pytest.fixture
def my_shop(shop_factory, staff):
    return shop_factory(owner=staff)


def url(shop, rest=""):
    return f"webhooks/shops/{shop.pk}/endpoints{rest}"


@pytest.mark.django_db
def test_staff_creates_lists_and_deletes_an_endpoint(api_as, staff, my_shop):
    api = api_as(staff)

    created = api.post(url(my_shop), {"url": "https://erp.example/h", "topics": ["*"]})

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["secret"].startswith("whsec_")
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.owner_kind, endpoint.owner_id) == ("shop", my_shop.pk)
    assert endpoint.secret == body["secret"]
    assert endpoint.created_by == staff

    listed = api.get(url(my_shop))
    assert listed.status_code == 200
    assert listed.json() == [
        {
            "id": endpoint.pk,
            "url": "https://erp.example/h",
            "topics": ["*"],
            "is_active": True,
            "created_at": listed.json()[0]["created_at"],
        }
    ]
    assert "secret" not in listed.json()[0]

    deleted = api.delete(url(my_shop, f"/{endpoint.pk}"))
    assert deleted.status_code == 204
    assert WebhookEndpoint.objects.count() == 0


@pytest.mark.django_db
def test_invalid_endpoint_is_422(api_as, staff, my_shop):
    answer = api_as(staff).post(
        url(my_shop), {"url": "ftp://x.example/", "topics": ["*"]}
    )

    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "validation_failed"
    assert WebhookEndpoint.objects.count() == 0


@pytest.mark.django_db
def test_another_user_gets_404_for_everything(api_as, user_factory, my_shop):
    endpoint = services.create_endpoint(
        owner_kind="shop", owner_id=my_shop.pk, url="https://a.example/h", topics=["*"]
    )
    stranger = api_as(user_factory())

    assert stranger.get(url(my_shop)).status_code == 404
    assert (
        stranger.post(
            url(my_shop), {"url": "https://evil.example/", "topics": ["*"]}
        ).status_code
        == 404
    )
    assert stranger.delete(url(my_shop, f"/{endpoint.pk}")).status_code == 404
    assert stranger.get(url(my_shop, f"/{endpoint.pk}/deliveries")).status_code == 404
    assert api_as().get(url(my_shop)).status_code == 401
    assert list(WebhookEndpoint.objects.values_list("url", flat=True)) == [
        "https://a.example/h"
    ]


@pytest.mark.django_db
def test_staff_cannot_reach_another_shops_endpoint_through_their_own_shop(
    api_as, staff, my_shop, shop_factory
):
    other = shop_factory()
    theirs = services.create_endpoint(
        owner_kind="shop", owner_id=other.pk, url="https://b.example/h", topics=["*"]
    )

    answer = api_as(staff).delete(url(my_shop, f"/{theirs.pk}"))

    assert answer.status_code == 404
    assert WebhookEndpoint.objects.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_deliveries_with_attempts_and_redeliver(
    api_as, staff, my_shop, receiver, frozen_clock
):
    receiver.status = 500
    endpoint = services.create_endpoint(
        owner_kind="shop", owner_id=my_shop.pk, url=receiver.url, topics=["*"]
    )
    with transaction.atomic():
        emit(ParcelShipped(shop_id=my_shop.pk, parcel="SF1"))
    relay_pending()
    services.deliver_due()
    api = api_as(staff)

    listed = api.get(url(my_shop, f"/{endpoint.pk}/deliveries"))

    assert listed.status_code == 200
    [delivery] = listed.json()
    assert delivery["topic"] == "webhooks_test.parcel_shipped"
    assert delivery["status"] == "pending"
    assert delivery["attempts"] == 1
    assert [(a["status_code"], a["error"]) for a in delivery["log"]] == [
        (500, "HTTP 500: nope")
    ]

    receiver.status = 200
    again = api.post(
        f"webhooks/shops/{my_shop.pk}/deliveries/{delivery['id']}/redeliver"
    )
    assert again.status_code == 202
    assert again.json()["attempts"] == 0
    services.deliver_due()
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


@pytest.mark.django_db
def test_redeliver_of_another_shops_delivery_is_404(
    api_as, staff, my_shop, shop_factory
):
    other = shop_factory()
    services.create_endpoint(
        owner_kind="shop", owner_id=other.pk, url="https://b.example/h", topics=["*"]
    )
    with transaction.atomic():
        emit(ParcelShipped(shop_id=other.pk, parcel="SF2"))
    relay_pending()
    delivery = WebhookDelivery.objects.get()

    answer = api_as(staff).post(
        f"webhooks/shops/{my_shop.pk}/deliveries/{delivery.pk}/redeliver"
    )

    assert answer.status_code == 404
    assert WebhookDelivery.objects.get().attempts == 0
