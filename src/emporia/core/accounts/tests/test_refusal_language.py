"""Accounts' refusals are worded in the request's language (zh-Hans catalog in
``accounts/locale``); English when asked for it. A refusal changes nothing."""

from __future__ import annotations

import pytest
from django.utils import translation

from emporia.core.accounts import services
from emporia.core.accounts.models import Address, Shop, ShopStatusChange, User
from emporia.kernel.errors import InvalidTransition

pytestmark = pytest.mark.django_db

ADDRESS = {
    "recipient": "李四",
    "phone": "call me",
    "city": "上海市",
    "line1": "南京西路 1 号",
}


def test_a_bad_address_is_refused_in_chinese_and_not_saved(api_as, user_factory):
    user = user_factory()
    chinese = api_as(user, language="zh-hans").post("accounts/addresses", ADDRESS)
    assert chinese.status_code == 422
    assert chinese.json()["error"]["message"] == "联系电话格式不正确"
    english = api_as(user).post("accounts/addresses", ADDRESS)
    assert english.json()["error"]["message"] == "The phone number is not valid"
    assert not Address.objects.exists()


def test_a_taken_email_is_refused_in_chinese_and_no_account_is_made(
    api_as, user_factory
):
    user_factory(email="taken@example.com")
    resp = api_as(language="zh-hans").post(
        "accounts/signup",
        {
            "email": "taken@example.com",
            "password": "a long passphrase 1",
            "display_name": "Ann",
        },
    )
    assert resp.status_code == 409
    assert resp.json()["error"]["message"] == "该邮箱或手机号已注册，请直接登录"
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_freezing_a_frozen_shop_says_so_in_whole_sentences(shop_factory, operator):
    shop = shop_factory(name="茶馆")
    services.freeze_shop(shop=shop, actor=operator, reason="Fake trades")
    with translation.override("zh-hans"), pytest.raises(InvalidTransition) as zh:
        services.freeze_shop(shop=shop, actor=operator, reason="again")
    with translation.override("en"), pytest.raises(InvalidTransition) as en:
        services.freeze_shop(shop=shop, actor=operator, reason="again")
    assert zh.value.message == "店铺 茶馆 已被冻结，不在营业中，未做任何更改"
    assert en.value.message == "Shop 茶馆 is frozen, not active; nothing was changed"
    assert Shop.objects.get(pk=shop.pk).status == Shop.Status.FROZEN
    assert ShopStatusChange.objects.filter(shop=shop).count() == 1
