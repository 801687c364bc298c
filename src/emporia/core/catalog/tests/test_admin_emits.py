"""Edits through the Django admin reach the search index: the admin calls
``note_product_changed`` after saving, which emits ``catalog.product_changed``."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from emporia.core.catalog import services
from emporia.core.catalog.models import Product
from emporia.core.search import selectors as search
from emporia.core.search import services as search_services
from emporia.infra.outbox.models import OutboxEvent
from emporia.infra.outbox.services import relay_pending
from emporia.kernel.errors import NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(user_factory):
    client = Client()
    client.force_login(user_factory(is_staff=True, is_superuser=True))
    return client


def changed_events(product_id: int) -> int:
    return OutboxEvent.objects.filter(
        topic="catalog.product_changed", payload__product_id=product_id
    ).count()


def post_data(response) -> dict:
    """The admin change form's current values, as the browser would post them."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, (list, tuple)):
                value = value[0] if value else ""
            if isinstance(value, dict):
                value = json.dumps(value)
            data[form.add_prefix(name)] = value
    return data


def test_admin_edit_of_a_product_is_indexed(sku_factory, admin_client_):
    sku = sku_factory(product__status=Product.Status.LISTED)
    product = sku.product
    search_services.reindex_product(product_id=product.pk)
    client = admin_client_
    url = f"/admin/catalog/product/{product.pk}/change/"
    data = post_data(client.get(url))
    data["names"] = '{"zh-hans": "碧螺春", "en": "Biluochun"}'
    before = changed_events(product.pk)

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert changed_events(product.pk) == before + 1
    relay_pending()
    assert [i["id"] for i in search.search(query="碧螺春").items] == [product.pk]


def test_admin_edit_of_a_sku_is_indexed(sku_factory, admin_client_):
    sku = sku_factory(product__status=Product.Status.LISTED)
    client = admin_client_
    url = f"/admin/catalog/sku/{sku.pk}/change/"
    data = post_data(client.get(url))
    data["price"] = "12.5000"
    before = changed_events(sku.product_id)
    assert client.post(url, data).status_code == 302
    assert changed_events(sku.product_id) == before + 1


def test_note_product_changed_refuses_a_stranger(product_factory, user_factory):
    product = product_factory()
    before = changed_events(product.pk)
    with pytest.raises(NotFound):
        services.note_product_changed(product_id=product.pk, by=user_factory())
    assert changed_events(product.pk) == before
