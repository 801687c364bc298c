"""HTTP API: accounts — sign-up, tokens, the address book, shops, organizations."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from emporia.core.accounts import selectors, services
from emporia.core.accounts.clients import client_from_request
from emporia.core.accounts.models import Shop
from emporia.kernel.errors import Unauthenticated

from .auth import AUTH
from .schemas import AddressIn

router = Router(tags=["Accounts"])


class SignupIn(Schema):
    email: str | None = Field(None, max_length=254)
    mobile: str | None = Field(None, max_length=20)
    password: str = Field(..., min_length=1, max_length=128)
    display_name: str = Field(..., min_length=1, max_length=80)
    language: str = Field("zh-hans", pattern=r"^(zh-hans|en)$")
    referral_code: str | None = Field(
        None, max_length=20, description="The inviter's code, when invited"
    )
    device_id: str | None = Field(
        None, max_length=64, description="The app's install id (abuse checks)"
    )


class UserOut(Schema):
    id: int
    email: str | None
    mobile: str | None
    display_name: str
    language: str
    is_operator: bool


@router.post("/signup", response={201: UserOut})
def signup(request, payload: SignupIn):
    data = payload.dict()
    context = {
        "referral_code": data.pop("referral_code") or "",
        "device_id": data.pop("device_id")
        or request.headers.get("X-Device-Id", "")[:64],
        "ip": request.META.get("REMOTE_ADDR", ""),
    }
    user = services.register_user(**data, signup_context=context)
    return 201, user


class TokenIn(Schema):
    login: str = Field(
        ..., min_length=1, max_length=254, description="Email or mobile number"
    )
    password: str = Field(..., min_length=1, max_length=128)
    name: str = Field("API token", max_length=80)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    token: str | None = None
    organization_id: int | None = None


@router.post("/tokens", response={201: TokenOut})
def create_token(request, payload: TokenIn):
    """Exchange a login and password for a personal bearer token (shown once)."""
    user = authenticate(request, username=payload.login, password=payload.password)
    if user is None:
        raise Unauthenticated(_("Wrong login or password"))
    token, raw = services.create_api_token(
        user=user, name=payload.name, login_from=client_from_request(request)
    )
    return 201, {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "token": raw,
    }


class OrgKeyIn(Schema):
    name: str = Field("ERP integration", max_length=80)


@router.post("/organizations/{org_id}/api-keys", response={201: TokenOut}, auth=AUTH)
def create_org_key(request, org_id: int, payload: OrgKeyIn):
    """An organization API key for ERP integration (organization admins only)."""
    org = selectors.organization_for(user=request.auth, org_id=org_id)
    token, raw = services.create_api_token(
        user=request.auth, name=payload.name, organization=org
    )
    return 201, {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "token": raw,
        "organization_id": org.pk,
    }


@router.get("/tokens", response=list[TokenOut], auth=AUTH)
def list_tokens(request):
    return [
        {
            "id": t.pk,
            "name": t.name,
            "prefix": t.prefix,
            "created_at": t.created_at,
            "organization_id": t.organization_id,
        }
        for t in selectors.tokens_for(request.auth)
    ]


@router.delete("/tokens/{token_id}", response={204: None}, auth=AUTH)
def revoke_token(request, token_id: int):
    services.revoke_api_token(user=request.auth, token_id=token_id)
    return 204, None


@router.get("/me", response=UserOut, auth=AUTH)
def me(request):
    return request.auth


class AddressBookIn(AddressIn):
    is_default: bool = False


class AddressOut(AddressBookIn):
    id: int


def address_out(a) -> dict:
    return {"id": a.pk, **a.as_snapshot(), "is_default": a.is_default}


@router.get("/addresses", response=list[AddressOut], auth=AUTH)
def list_addresses(request):
    return [address_out(a) for a in selectors.addresses_for(request.auth)]


@router.post("/addresses", response={201: AddressOut}, auth=AUTH)
def add_address(request, payload: AddressBookIn):
    data = payload.dict()
    is_default = data.pop("is_default")
    return 201, address_out(
        services.add_address(user=request.auth, data=data, is_default=is_default)
    )


@router.delete("/addresses/{address_id}", response={204: None}, auth=AUTH)
def delete_address(request, address_id: int):
    services.delete_address(user=request.auth, address_id=address_id)
    return 204, None


class ShopIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    kind: str = Field(
        Shop.Kind.ENTERPRISE, pattern=r"^(self_operated|enterprise|individual)$"
    )
    description: str = Field("", max_length=5000)
    currency: str = Field("CNY", pattern=r"^[A-Z]{3}$")


class ShopOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    status: str
    currency: str
    description: str
    name_en: str = ""
    description_en: str = ""
    logo_url: str | None = None
    banner_url: str | None = None

    @staticmethod
    def resolve_logo_url(obj) -> str | None:
        return obj.logo.url if getattr(obj, "logo", None) else None

    @staticmethod
    def resolve_banner_url(obj) -> str | None:
        return obj.banner.url if getattr(obj, "banner", None) else None


@router.post("/shops", response={201: ShopOut}, auth=AUTH)
def open_shop(request, payload: ShopIn):
    return 201, services.open_shop(owner=request.auth, **payload.dict())


@router.get("/shops", response=list[ShopOut], auth=AUTH)
def my_shops(request):
    """Shops the caller works for."""
    return list(selectors.shops_for(request.auth))


@router.get("/shops/{shop_id}", response=ShopOut)
def shop_detail(request, shop_id: int):
    return selectors.public_shop(shop_id=shop_id)


class ShopPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    name_en: str | None = Field(None, max_length=120)
    description: str | None = Field(None, max_length=5000)
    description_en: str | None = Field(None, max_length=5000)
    reason: str = Field("", max_length=255)


@router.patch("/shops/{shop_id}", response=ShopOut, auth=AUTH)
def update_shop(request, shop_id: int, payload: ShopPatch):
    """Edit a shop's profile (owner only; omitted fields stay as they are)."""
    return services.update_shop(shop_id=shop_id, by=request.auth, **payload.dict())


@router.post("/shops/{shop_id}/logo", response=ShopOut, auth=AUTH)
def upload_shop_logo(request, shop_id: int, image: File[UploadedFile]):
    """Replace the shop's logo (multipart field ``image``: JPEG/PNG/WebP, 2 MB)."""
    return services.update_shop(shop_id=shop_id, by=request.auth, logo=image)


@router.post("/shops/{shop_id}/banner", response=ShopOut, auth=AUTH)
def upload_shop_banner(request, shop_id: int, image: File[UploadedFile]):
    """Replace the shop's banner (multipart field ``image``: JPEG/PNG/WebP, 5 MB)."""
    return services.update_shop(shop_id=shop_id, by=request.auth, banner=image)


class OrgIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    registration_number: str = Field("", max_length=64)


class OrgOut(Schema):
    id: int
    name: str
    registration_number: str
    verified: bool


@router.post("/organizations", response={201: OrgOut}, auth=AUTH)
def create_organization(request, payload: OrgIn):
    org = services.create_organization(admin=request.auth, **payload.dict())
    return 201, {
        "id": org.pk,
        "name": org.name,
        "registration_number": org.registration_number,
        "verified": False,
    }
