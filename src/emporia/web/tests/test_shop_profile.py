"""Seller center: the owner edits the shop profile; the storefront shows it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from emporia.core.accounts import services as accounts
from emporia.core.accounts.models import Shop, ShopProfileChange

from .conftest import title

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), "green").save(buf, "PNG")
    return SimpleUploadedFile("logo.png", buf.getvalue(), content_type="image/png")


def test_profile_form_is_prefilled(english, teapot):
    response = english(teapot.seller).get(f"/seller/{teapot.shop_id}/profile/")
    page = response.content.decode()
    assert response.status_code == 200
    assert title(response) == "Shop profile · Emporia"
    assert 'name="name" value="西湖茶铺"' in page
    assert '<label for="id_logo">' in page
    assert 'enctype="multipart/form-data"' in page


def test_owner_saves_names_and_logo_and_the_store_shows_them(english, teapot):
    client = english(teapot.seller)
    url = f"/seller/{teapot.shop_id}/profile/"
    response = client.post(
        url,
        {
            "name": "西湖茶庄",
            "name_en": "West Lake Tea House",
            "description": "明前龙井",
            "description_en": "Spring Longjing",
            "logo": png(),
            "reason": "新名字",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Shop profile saved." in page
    assert 'data-testid="shop-logo"' in page
    assert "name, name_en, description, description_en, logo · 新名字" in page
    shop = Shop.objects.get(pk=teapot.shop_id)
    assert shop.logo.name.endswith(".png")
    store = client.get(f"/shops/{shop.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert title(store) == "West Lake Tea House · Emporia"
    assert "Spring Longjing" in store.content.decode()
    assert "Logo of West Lake Tea House" in store.content.decode()


def test_a_text_file_as_logo_is_shown_next_to_the_field(english, teapot):
    client = english(teapot.seller)
    response = client.post(
        f"/seller/{teapot.shop_id}/profile/",
        {
            "name": "改了名",
            "logo": SimpleUploadedFile("logo.png", b"plain text", "image/png"),
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "The file is not a readable image" in page
    assert Shop.objects.get(pk=teapot.shop_id).name == "西湖茶铺"
    assert not ShopProfileChange.objects.exists()


def test_blank_name_is_refused(english, teapot):
    response = english(teapot.seller).post(
        f"/seller/{teapot.shop_id}/profile/", {"name": ""}
    )
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert Shop.objects.get(pk=teapot.shop_id).name == "西湖茶铺"


def test_staff_see_the_profile_but_cannot_edit(english, teapot, user_factory):
    staff = user_factory()
    shop = Shop.objects.get(pk=teapot.shop_id)
    accounts.add_shop_staff(shop=shop, by=teapot.seller, user=staff)
    client = english(staff)
    page = client.get(f"/seller/{shop.pk}/profile/").content.decode()
    assert "owner can edit the profile." in page
    assert 'name="name_en"' not in page
    response = client.post(f"/seller/{shop.pk}/profile/", {"name": "Mine now"})
    assert response.status_code == 404
    assert Shop.objects.get(pk=shop.pk).name == "西湖茶铺"


def test_another_user_cannot_post_the_profile(english, teapot, user_factory):
    response = english(user_factory()).post(
        f"/seller/{teapot.shop_id}/profile/", {"name": "Stolen"}
    )
    assert response.status_code == 404
    assert Shop.objects.get(pk=teapot.shop_id).name == "西湖茶铺"
