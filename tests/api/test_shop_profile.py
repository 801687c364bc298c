"""PATCH /api/accounts/shops/{id} and the logo/banner uploads."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from emporia.core.accounts.models import Shop, ShopMember, ShopProfileChange

pytestmark = pytest.mark.django_db


def owner_of(shop):
    return ShopMember.objects.get(shop=shop, role=ShopMember.Role.OWNER).user


def test_owner_patches_the_profile(api_as, shop_factory):
    shop = shop_factory(name="茶铺")
    resp = api_as(owner_of(shop)).patch(
        f"accounts/shops/{shop.pk}",
        {"name_en": "Tea House", "description": "好茶", "reason": "English name"},
    )
    assert resp.status_code == 200
    body = resp.json()
    assert (body["name"], body["name_en"], body["description"]) == (
        "茶铺",
        "Tea House",
        "好茶",
    )
    assert body["logo_url"] is None
    assert ShopProfileChange.objects.get(shop=shop).fields == [
        "name_en",
        "description",
    ]


def test_another_user_is_refused(api_as, shop_factory, user_factory):
    shop = shop_factory(name="茶铺")
    resp = api_as(user_factory()).patch(f"accounts/shops/{shop.pk}", {"name": "Stolen"})
    assert resp.status_code == 404
    assert resp.json()["error"]["code"] == "not_found"
    assert Shop.objects.get(pk=shop.pk).name == "茶铺"
    assert not ShopProfileChange.objects.exists()


def test_anonymous_is_refused(api_as, shop_factory):
    shop = shop_factory(name="茶铺")
    assert api_as().patch(f"accounts/shops/{shop.pk}", {"name": "X"}).status_code == 401


def test_bad_patch_is_422(api_as, shop_factory):
    shop = shop_factory(name="茶铺")
    resp = api_as(owner_of(shop)).patch(f"accounts/shops/{shop.pk}", {"name": ""})
    assert resp.status_code == 422
    assert Shop.objects.get(pk=shop.pk).name == "茶铺"


def test_logo_upload(api_as, shop_factory):
    shop = shop_factory()
    api = api_as(owner_of(shop))
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buf, "WEBP")
    resp = api.client.post(
        f"/api/accounts/shops/{shop.pk}/logo",
        {"image": SimpleUploadedFile("l.webp", buf.getvalue())},
        **api.headers,
    )
    assert resp.status_code == 200
    assert resp.json()["logo_url"].endswith(".webp")


def test_a_text_file_as_banner_is_422(api_as, shop_factory):
    shop = shop_factory()
    api = api_as(owner_of(shop))
    resp = api.client.post(
        f"/api/accounts/shops/{shop.pk}/banner",
        {"image": SimpleUploadedFile("b.png", b"hello")},
        **api.headers,
    )
    assert resp.status_code == 422
    assert resp.json()["error"]["details"]["field"] == "banner"
    shop.refresh_from_db()
    assert shop.banner.name == ""
