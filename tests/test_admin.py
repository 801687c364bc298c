"""Admin smoke: every registered model's changelist, search, change and add
pages open for an operator once there is data; nobody else gets in."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from emporia.core.accounts import services as accounts
from emporia.core.catalog.models import Attribute
from emporia.core.checkout import services as checkout
from emporia.core.payments.payouts import request_payout
from emporia.core.search import services as search
from emporia.infra.jobs.services import run_job
from emporia.infra.webhooks import services as webhooks
from emporia.kernel.money import Money

pytestmark = pytest.mark.django_db

MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.fixture
def some_of_everything(paid_order, api_as, user_factory):
    """A paid order shipped, delivered, reviewed and partly returned; another
    completed and paid out; an organization with an API key, a cart, a
    webhook, a job run, and the outbox relayed."""
    order = paid_order(price="30.00", quantity=2, stock=5)
    webhooks.create_endpoint(
        owner_kind=webhooks.PLATFORM,
        owner_id=None,
        url="https://erp.example.com/hooks",
        topics=["*"],
    )
    seller = api_as(order.shop.members.get().user)
    buyer = api_as(order.buyer)
    sid = seller.post(
        f"fulfilment/orders/{order.pk}/shipments",
        {"carrier": "SF Express", "tracking_number": "SF1"},
    ).json()["id"]
    seller.post(
        f"fulfilment/shipments/{sid}/tracking",
        {"status": "delivered", "description": "Signed for"},
    )
    line = order.lines.get()
    buyer.post("reviews/products", {"order_line_id": line.pk, "rating": 5})
    buyer.post("reviews/shops", {"order_id": order.pk, "rating": 4})
    rid = buyer.post(
        f"fulfilment/orders/{order.pk}/returns",
        {"lines": [{"order_line_id": line.pk, "quantity": 1}], "reason": "Torn"},
    ).json()["id"]
    seller.post(f"fulfilment/returns/{rid}/decision", {"decision": "approve"})
    seller.post(f"fulfilment/returns/{rid}/decision", {"decision": "receive"})
    org = accounts.create_organization(admin=order.buyer, name="Acme Ltd")
    accounts.add_department(organization=org, name="Purchasing")
    accounts.create_api_token(user=order.buyer, name="ERP", organization=org)
    search.reindex_product(product_id=line.product_id)
    checkout.add_to_cart(
        cart=checkout.cart_for(user=order.buyer), sku_id=line.sku_id, quantity=1
    )
    sold = paid_order(price="200.00")
    owner = sold.shop.members.get().user
    sid = (
        api_as(owner)
        .post(
            f"fulfilment/orders/{sold.pk}/shipments",
            {"carrier": "SF Express", "tracking_number": "SF2"},
        )
        .json()["id"]
    )
    api_as(owner).post(
        f"fulfilment/shipments/{sid}/tracking",
        {"status": "delivered", "description": "Signed for"},
    )
    api_as(sold.buyer).post(f"orders/{sold.pk}/confirm-receipt")
    request_payout(
        shop=sold.shop,
        by=owner,
        amount=Money(10000, "CNY"),
        bank_account="6222 0212 3456 7890",
    )
    Attribute.objects.create(code="colour", names={"en": "Colour"})
    Group.objects.create(name="Support")
    run_job("outbox.relay")
    order.refresh_from_db()
    assert order.status == "partially_refunded"
    return order


@pytest.fixture
def operator_client(client, user_factory):
    client.force_login(user_factory(is_staff=True, is_superuser=True))
    return client


def admin_url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_admin_page_opens_for_an_operator(
    some_of_everything, operator_client, model
):
    model_admin = admin.site._registry[model]
    resp = operator_client.get(admin_url(model, "changelist"))
    assert resp.status_code == 200
    if model_admin.search_fields:
        resp = operator_client.get(admin_url(model, "changelist"), {"q": "1"})
        assert resp.status_code == 200
    obj = model._default_manager.order_by("pk").first()
    if obj is not None:
        resp = operator_client.get(admin_url(model, "change", obj.pk))
        assert resp.status_code == 200
    request = resp.wsgi_request
    if model_admin.has_add_permission(request):
        assert operator_client.get(admin_url(model, "add")).status_code == 200


def test_there_is_data_behind_most_admin_pages(some_of_everything):
    empty = [m._meta.label for m in MODELS if not m._default_manager.exists()]
    assert empty == [], " ".join(empty)


def test_a_non_staff_user_is_sent_to_the_admin_login(some_of_everything, client):
    shop_owner = some_of_everything.shop.members.get().user
    client.force_login(shop_owner)
    for model in MODELS:
        url = admin_url(model, "changelist")
        resp = client.get(url)
        assert resp.status_code == 302, url
        assert resp["Location"] == f"{reverse('admin:login')}?next={url}"
    obj = some_of_everything
    url = admin_url(type(obj), "change", obj.pk)
    assert client.get(url).status_code == 302
    assert client.post(url, {"status": "completed"}).status_code == 302
    obj.refresh_from_db()
    assert obj.status == "partially_refunded"


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    resp = client.get(reverse("admin:index"))
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("admin:login"))
