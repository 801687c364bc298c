"""update_shop: the owner edits the profile; everyone else is refused and
nothing changes; every change is recorded with who, when and which fields."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from emporia.core.accounts import services
from emporia.core.accounts.models import Shop, ShopMember, ShopProfileChange
from emporia.kernel.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def png(name="logo.png", size=(8, 8)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, "red").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def owner_of(shop):
    return ShopMember.objects.get(shop=shop, role=ShopMember.Role.OWNER).user


def test_owner_changes_names_descriptions_and_logo(shop_factory, frozen_clock):
    # given
    shop = shop_factory(name="西湖茶铺")
    owner = owner_of(shop)
    # when
    services.update_shop(
        shop_id=shop.pk,
        by=owner,
        name=" 西湖茶庄 ",
        name_en="West Lake Tea House",
        description="明前龙井",
        description_en="Spring Longjing",
        logo=png(),
        reason="Rebranding",
    )
    # then
    shop.refresh_from_db()
    assert (shop.name, shop.name_en) == ("西湖茶庄", "West Lake Tea House")
    assert (shop.description, shop.description_en) == ("明前龙井", "Spring Longjing")
    assert shop.logo.name.startswith("shops/logos/")
    assert shop.logo.name.endswith(".png")
    assert shop.display_name("en") == "West Lake Tea House"
    assert shop.display_name("zh-hans") == "西湖茶庄"
    change = ShopProfileChange.objects.get(shop=shop)
    assert change.actor == owner
    assert change.fields == [
        "name",
        "name_en",
        "description",
        "description_en",
        "logo",
    ]
    assert change.reason == "Rebranding"
    assert change.at == frozen_clock()


def test_nothing_changed_writes_no_history(shop_factory):
    shop = shop_factory(name="Same")
    services.update_shop(shop_id=shop.pk, by=owner_of(shop), name="Same")
    assert not ShopProfileChange.objects.exists()


@pytest.mark.parametrize("role", ["stranger", "staff"])
def test_only_the_owner_may_edit(shop_factory, user_factory, role):
    shop = shop_factory(name="Mine")
    other = user_factory()
    if role == "staff":
        services.add_shop_staff(shop=shop, by=owner_of(shop), user=other)
    with pytest.raises(NotFound):
        services.update_shop(shop_id=shop.pk, by=other, name="Theirs")
    shop.refresh_from_db()
    assert shop.name == "Mine"
    assert not ShopProfileChange.objects.exists()


def test_operator_may_edit_any_shop(shop_factory, operator):
    shop = shop_factory(name="Mine")
    services.update_shop(shop_id=shop.pk, by=operator, name="Renamed by ops")
    assert Shop.objects.get(pk=shop.pk).name == "Renamed by ops"
    assert ShopProfileChange.objects.get(shop=shop).actor == operator


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"description_en": "x" * 5001}, "description_en"),
        ({"logo": SimpleUploadedFile("a.png", b"not an image")}, "logo"),
        ({"banner": SimpleUploadedFile("a.png", b"")}, "banner"),
        ({"logo": png(size=(1, 1)), "name": ""}, "name"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(shop_factory, kwargs, field):
    shop = shop_factory(name="Mine")
    with pytest.raises(ValidationFailed) as exc:
        services.update_shop(shop_id=shop.pk, by=owner_of(shop), **kwargs)
    assert exc.value.details["field"] == field
    shop.refresh_from_db()
    assert (shop.name, shop.logo.name, shop.banner.name) == ("Mine", "", "")
    assert not ShopProfileChange.objects.exists()


def test_a_logo_over_two_megabytes_is_refused(shop_factory):
    shop = shop_factory()
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024))
    with pytest.raises(ValidationFailed, match="at most 2 MB"):
        services.update_shop(shop_id=shop.pk, by=owner_of(shop), logo=big)
    shop.refresh_from_db()
    assert shop.logo.name == ""
