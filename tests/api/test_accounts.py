"""Accounts through the API: sign-up, tokens, the address book, shops and
organization API keys, with refusals that leave nothing behind."""

import datetime as dt
import importlib

import pytest
from django.test import RequestFactory

from emporia.api.auth import bearer as bearer_auth
from emporia.core.accounts import services
from emporia.core.accounts.models import (
    Address,
    ApiToken,
    Organization,
    OrganizationMember,
    Shop,
    ShopMember,
    User,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
ADDRESS = {
    "recipient": "李四",
    "phone": "139 0013 9000",
    "city": "上海市",
    "line1": "南京西路 1 号",
}


def signup(api, **body):
    return api.post(
        "accounts/signup", {"password": PASSWORD, "display_name": "Ann", **body}
    )


def login(api, login, password=PASSWORD):
    return api.post("accounts/tokens", {"login": login, "password": password})


def bearer(api_as, raw):
    api = api_as()
    api.headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return api


def field_of(resp):
    return resp.json()["error"]["details"]["field"]


# --- sign-up -------------------------------------------------------------------


def test_signup_by_email_stores_it_lowercased(api_as):
    resp = signup(api_as(), email="  Ann.Lee@Example.COM ")
    assert resp.status_code == 201, resp.content
    assert resp.json() == {
        "id": User.objects.get().pk,
        "email": "ann.lee@example.com",
        "mobile": None,
        "display_name": "Ann",
        "language": "zh-hans",
        "is_operator": False,
    }
    assert User.objects.get().check_password(PASSWORD)


def test_signup_by_mobile_strips_spaces_and_dashes(api_as):
    resp = signup(api_as(), mobile="138-0013 8000")
    assert resp.status_code == 201, resp.content
    assert resp.json()["mobile"] == "13800138000"
    assert resp.json()["email"] is None
    assert User.objects.get().mobile == "13800138000"


def test_a_duplicate_email_in_another_case_is_a_conflict(api_as, user_factory):
    user_factory(email="ann@example.com")
    resp = signup(api_as(), email="ANN@example.com")
    assert resp.status_code == 409
    assert resp.json()["error"]["code"] == "conflict"
    assert User.objects.count() == 1


def test_a_duplicate_mobile_written_differently_is_a_conflict(api_as, user_factory):
    user_factory(mobile="13800138000")
    resp = signup(api_as(), mobile="138 0013-8000")
    assert resp.status_code == 409
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "ann@example.com", "password": "123"}, "password"),
        ({"email": "ann@example.com", "password": "password123"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "ann@"}, "email"),
        ({"mobile": "12ab5678"}, "mobile"),
        ({"mobile": "123"}, "mobile"),
        ({}, "email"),
        ({"email": "", "mobile": "  "}, "email"),
        ({"email": "ann@example.com", "display_name": "   "}, "display_name"),
    ],
)
def test_bad_signups_name_the_field_and_create_nothing(api_as, body, field):
    resp = signup(api_as(), **body)
    assert resp.status_code == 422, resp.content
    assert resp.json()["error"]["code"] == "validation_failed"
    assert field_of(resp) == field
    assert User.objects.count() == 0


def test_a_signup_that_is_too_long_is_refused_by_the_schema(api_as):
    resp = signup(api_as(), email="a" * 250 + "@example.com")
    assert resp.status_code == 422
    assert resp.json()["error"]["details"]["fields"][0]["field"] == "body.payload.email"
    assert User.objects.count() == 0


def test_production_settings_hash_passwords_with_argon2():
    prod = importlib.import_module("emporia.config.settings")
    assert prod.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


# --- tokens --------------------------------------------------------------------


def test_a_token_by_email_works_on_me(api_as, user_factory):
    user = user_factory(email="ann@example.com")
    resp = login(api_as(), "ANN@example.com ")
    assert resp.status_code == 201, resp.content
    raw = resp.json()["token"]
    assert raw.startswith("emp_")
    assert resp.json()["prefix"] == raw[:12]
    me = bearer(api_as, raw).get("accounts/me")
    assert me.status_code == 200
    assert me.json()["id"] == user.pk
    token = ApiToken.objects.get(pk=resp.json()["id"])
    assert raw not in (token.key_hash, token.prefix)


def test_a_token_by_mobile_works_on_me(api_as, user_factory):
    user = user_factory(email=None, mobile="13800138000")
    resp = login(api_as(), "138 0013 8000")
    assert resp.status_code == 201, resp.content
    me = bearer(api_as, resp.json()["token"]).get("accounts/me")
    assert me.json()["id"] == user.pk


@pytest.mark.parametrize("who", ["ann@example.com", "nobody@example.com"])
def test_a_wrong_password_or_login_is_401_and_issues_nothing(api_as, user_factory, who):
    user_factory(email="ann@example.com")
    resp = login(api_as(), who, password="wrong horse battery")
    assert resp.status_code == 401
    assert resp.json()["error"]["code"] == "unauthenticated"
    assert ApiToken.objects.count() == 0


def test_an_inactive_user_gets_no_token(api_as, user_factory):
    user_factory(email="ann@example.com", is_active=False)
    assert login(api_as(), "ann@example.com").status_code == 401
    assert ApiToken.objects.count() == 0


def test_anonymous_and_garbage_tokens_are_401(api_as):
    assert api_as().get("accounts/me").status_code == 401
    assert bearer(api_as, "emp_not-a-real-token").get("accounts/me").status_code == 401
    assert bearer(api_as, "x" * 500).get("accounts/me").status_code == 401


def test_a_revoked_token_no_longer_works(api_as, user):
    _, raw = services.create_api_token(user=user, name="laptop")
    mine = bearer(api_as, raw)
    token_id = ApiToken.objects.get(name="laptop").pk
    resp = api_as(user).delete(f"accounts/tokens/{token_id}")
    assert resp.status_code == 204
    assert mine.get("accounts/me").status_code == 401
    assert api_as(user).delete(f"accounts/tokens/{token_id}").status_code == 404


def test_an_expired_token_is_401(api_as, user, frozen_clock):
    _, raw = services.create_api_token(
        user=user, name="short", expires_at=frozen_clock() + dt.timedelta(hours=1)
    )
    api = bearer(api_as, raw)
    assert api.get("accounts/me").status_code == 200
    frozen_clock.advance(hours=1)
    assert api.get("accounts/me").status_code == 401


def test_the_token_list_never_shows_a_secret_and_only_shows_mine(
    api_as, user, user_factory
):
    services.create_api_token(user=user_factory(), name="someone else's")
    api = api_as(user)  # creates the "test" token
    services.create_api_token(user=user, name="laptop")
    resp = api.get("accounts/tokens")
    assert resp.status_code == 200
    assert [t["name"] for t in resp.json()] == ["laptop", "test"]
    assert {t["token"] for t in resp.json()} == {None}
    assert "emp_" not in resp.content.decode().replace(
        resp.json()[0]["prefix"], ""
    ).replace(resp.json()[1]["prefix"], "")


def test_another_user_cannot_revoke_my_token(api_as, user, user_factory):
    token, raw = services.create_api_token(user=user, name="laptop")
    resp = api_as(user_factory()).delete(f"accounts/tokens/{token.pk}")
    assert resp.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert bearer(api_as, raw).get("accounts/me").status_code == 200


def test_token_endpoints_need_a_login(api_as, user):
    token, _ = services.create_api_token(user=user, name="laptop")
    assert api_as().get("accounts/tokens").status_code == 401
    assert api_as().delete(f"accounts/tokens/{token.pk}").status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is None


# --- addresses -----------------------------------------------------------------


def test_the_first_address_becomes_the_default(api_as, user):
    resp = api_as(user).post("accounts/addresses", ADDRESS)
    assert resp.status_code == 201, resp.content
    assert resp.json() == {
        "id": Address.objects.get().pk,
        "recipient": "李四",
        "phone": "139 0013 9000",
        "country": "CN",
        "province": "",
        "city": "上海市",
        "district": "",
        "line1": "南京西路 1 号",
        "postcode": "",
        "is_default": True,
    }


def test_a_new_default_clears_the_old_one(api_as, user):
    api = api_as(user)
    first = api.post("accounts/addresses", ADDRESS).json()["id"]
    second = api.post("accounts/addresses", {**ADDRESS, "line1": "B"}).json()["id"]
    third = api.post(
        "accounts/addresses", {**ADDRESS, "line1": "C", "is_default": True}
    ).json()["id"]
    listed = api.get("accounts/addresses").json()
    assert [(a["id"], a["is_default"]) for a in listed] == [
        (third, True),
        (second, False),
        (first, False),
    ]
    assert Address.objects.filter(user=user, is_default=True).count() == 1


def test_the_address_list_shows_only_mine(api_as, user, address_factory):
    address_factory(user=user, line1="mine")
    address_factory(line1="someone else's")
    resp = api_as(user).get("accounts/addresses")
    assert [a["line1"] for a in resp.json()] == ["mine"]
    assert api_as().get("accounts/addresses").status_code == 401


def test_i_can_delete_my_address(api_as, user, address_factory):
    address = address_factory(user=user)
    resp = api_as(user).delete(f"accounts/addresses/{address.pk}")
    assert resp.status_code == 204
    assert not Address.objects.filter(pk=address.pk).exists()


def test_another_users_address_is_404_and_stays(api_as, user, address_factory):
    theirs = address_factory()
    resp = api_as(user).delete(f"accounts/addresses/{theirs.pk}")
    assert resp.status_code == 404
    assert api_as().delete(f"accounts/addresses/{theirs.pk}").status_code == 401
    assert Address.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"phone": "call me"}, "phone"),
        ({"recipient": "  "}, "recipient"),
        ({"country": "c1"}, "country"),
    ],
)
def test_a_bad_address_names_the_field_and_is_not_saved(api_as, user, change, field):
    resp = api_as(user).post("accounts/addresses", {**ADDRESS, **change})
    assert resp.status_code == 422
    assert field_of(resp) == field
    assert Address.objects.count() == 0


def test_the_51st_address_is_refused(api_as, user, address_factory):
    address_factory.create_batch(50, user=user, is_default=False)
    resp = api_as(user).post("accounts/addresses", ADDRESS)
    assert resp.status_code == 422
    assert "at most 50" in resp.json()["error"]["message"]
    assert Address.objects.filter(user=user).count() == 50


# --- shops ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["individual", "enterprise"])
def test_opening_a_shop_makes_me_its_owner(api_as, user, kind):
    resp = api_as(user).post("accounts/shops", {"name": "Tea House", "kind": kind})
    assert resp.status_code == 201, resp.content
    shop = Shop.objects.get()
    assert resp.json() == {
        "id": shop.pk,
        "name": "Tea House",
        "slug": "tea-house",
        "kind": kind,
        "status": "active",
        "currency": "CNY",
        "description": "",
        "name_en": "",
        "description_en": "",
        "logo_url": None,
        "banner_url": None,
    }
    assert ShopMember.objects.get(shop=shop).user == user
    assert ShopMember.objects.get(shop=shop).role == "owner"
    mine = api_as(user).get("accounts/shops").json()
    assert [s["id"] for s in mine] == [shop.pk]


def test_shop_slugs_stay_unique(api_as, user, user_factory):
    first = api_as(user).post("accounts/shops", {"name": "Tea House"})
    second = api_as(user_factory()).post("accounts/shops", {"name": "Tea House"})
    assert (first.json()["slug"], second.json()["slug"]) == ("tea-house", "tea-house-2")


def test_only_operators_open_the_self_operated_store(api_as, user, operator):
    resp = api_as(user).post(
        "accounts/shops", {"name": "Emporia Direct", "kind": "self_operated"}
    )
    assert resp.status_code == 422
    assert field_of(resp) == "kind"
    assert Shop.objects.count() == 0
    resp = api_as(operator).post(
        "accounts/shops", {"name": "Emporia Direct", "kind": "self_operated"}
    )
    assert resp.status_code == 201
    assert resp.json()["kind"] == "self_operated"


def test_an_unknown_shop_kind_is_refused(api_as, user):
    resp = api_as(user).post("accounts/shops", {"name": "X", "kind": "pirate"})
    assert resp.status_code == 422
    assert Shop.objects.count() == 0
    assert api_as().post("accounts/shops", {"name": "X"}).status_code == 401
    assert Shop.objects.count() == 0


# --- organizations -------------------------------------------------------------


def test_creating_an_organization_makes_me_its_admin(api_as, user):
    resp = api_as(user).post(
        "accounts/organizations", {"name": "Acme Ltd", "registration_number": "91X"}
    )
    assert resp.status_code == 201
    org = Organization.objects.get()
    assert resp.json() == {
        "id": org.pk,
        "name": "Acme Ltd",
        "registration_number": "91X",
        "verified": False,
    }
    assert OrganizationMember.objects.get(organization=org).role == "admin"


def test_an_org_key_acts_for_its_organization(api_as, user):
    org = services.create_organization(admin=user, name="Acme Ltd")
    api = api_as(user)
    resp = api.post(f"accounts/organizations/{org.pk}/api-keys", {})
    assert resp.status_code == 201, resp.content
    assert resp.json()["organization_id"] == org.pk
    raw = resp.json()["token"]
    assert services.authenticate_token(raw=raw) == (user, org)
    assert bearer(api_as, raw).get("accounts/me").json()["id"] == user.pk
    listed = api.get("accounts/tokens").json()
    assert [(t["name"], t["organization_id"]) for t in listed] == [
        ("ERP integration", org.pk),
        ("test", None),
    ]


def test_the_api_sees_the_organization_of_an_org_key(user):
    org = services.create_organization(admin=user, name="Acme Ltd")
    _, raw = services.create_api_token(user=user, name="ERP", organization=org)
    request = RequestFactory().get("/api/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert bearer_auth(request) == user
    assert request.api_organization == org


def test_a_personal_token_acts_for_no_organization(user):
    _, raw = services.create_api_token(user=user, name="laptop")
    assert services.authenticate_token(raw=raw) == (user, None)
    request = RequestFactory().get("/api/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert bearer_auth(request) == user
    assert request.api_organization is None


def test_a_non_member_gets_no_org_key(api_as, user, user_factory):
    org = services.create_organization(admin=user_factory(), name="Acme Ltd")
    resp = api_as(user).post(f"accounts/organizations/{org.pk}/api-keys", {})
    assert resp.status_code == 404
    assert (
        api_as().post(f"accounts/organizations/{org.pk}/api-keys", {}).status_code
        == 401
    )
    assert ApiToken.objects.filter(organization=org).count() == 0


def test_a_plain_member_gets_no_org_key(api_as, user, user_factory):
    org = services.create_organization(admin=user_factory(), name="Acme Ltd")
    services.add_organization_member(organization=org, user=user, role="buyer")
    resp = api_as(user).post(f"accounts/organizations/{org.pk}/api-keys", {})
    assert resp.status_code == 404
    assert ApiToken.objects.filter(organization=org).count() == 0


def test_an_org_key_stops_working_when_its_creator_leaves_the_admins(api_as, user):
    org = services.create_organization(admin=user, name="Acme Ltd")
    _, raw = services.create_api_token(user=user, name="ERP", organization=org)
    _, personal = services.create_api_token(user=user, name="laptop")
    services.add_organization_member(organization=org, user=user, role="buyer")
    assert services.authenticate_token(raw=raw) is None
    assert bearer(api_as, raw).get("accounts/me").status_code == 401
    assert bearer(api_as, personal).get("accounts/me").status_code == 200
    OrganizationMember.objects.filter(user=user).delete()
    assert bearer(api_as, raw).get("accounts/me").status_code == 401
