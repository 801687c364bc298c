"""Writes for parties and access: sign-up, API tokens, addresses, shops,
organizations."""

from __future__ import annotations

import hashlib
import re
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify

from emporia.kernel import clock
from emporia.kernel.errors import Conflict, NotFound, ValidationFailed

from .backends import normalize_login
from .models import (
    Address,
    ApiToken,
    Department,
    Organization,
    OrganizationMember,
    Shop,
    ShopMember,
    User,
)

MOBILE_RE = re.compile(r"^\+?[0-9]{6,15}$")
TOKEN_PREFIX = "emp_"


def _check_email(email: str) -> str:
    try:
        validate_email(email)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            f"{email!r} is not a valid email address", field="email"
        ) from exc
    return email


@transaction.atomic
def register_user(
    *,
    password: str,
    display_name: str,
    email: str | None = None,
    mobile: str | None = None,
    language: str = "zh-hans",
) -> User:
    """Create a buyer account that logs in by email or mobile number.

    Raises ValidationFailed for a malformed email/mobile or weak password and
    Conflict when the email or mobile is already registered.
    """
    email = normalize_login(email) if email else None
    mobile = normalize_login(mobile) if mobile else None
    if not email and not mobile:
        raise ValidationFailed(
            "Give an email address or a mobile number", field="email"
        )
    if email:
        _check_email(email)
    if mobile and not MOBILE_RE.match(mobile):
        raise ValidationFailed(
            f"{mobile!r} is not a valid mobile number", field="mobile"
        )
    display_name = (display_name or "").strip()
    if not display_name or len(display_name) > 80:
        raise ValidationFailed(
            "A display name of 1 to 80 characters is required", field="display_name"
        )
    try:
        validate_password(password)
    except DjangoValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="password") from exc
    if User.objects.filter(
        Q(email__iexact=email) if email else Q(pk__in=[])
    ).exists() or (mobile and User.objects.filter(mobile=mobile).exists()):
        raise Conflict("An account with this email or mobile number already exists")
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=email,
                password=password,
                mobile=mobile,
                display_name=display_name,
                language=language,
            )
    except IntegrityError as exc:
        raise Conflict(
            "An account with this email or mobile number already exists"
        ) from exc


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_api_token(
    *, user: User, name: str, organization: Organization | None = None, expires_at=None
) -> tuple[ApiToken, str]:
    """Issue a bearer token; the raw secret is returned once and never stored.

    An organization API key may only be created by an admin of that organization.
    """
    if (
        organization is not None
        and not OrganizationMember.objects.filter(
            organization=organization, user=user, role=OrganizationMember.Role.ADMIN
        ).exists()
    ):
        raise NotFound("No such organization")
    name = (name or "").strip()[:80] or "API token"
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        organization=organization,
        name=name,
        prefix=raw[:12],
        key_hash=_hash(raw),
        expires_at=expires_at,
    )
    return token, raw


def authenticate_token(*, raw: str) -> tuple[User, Organization | None] | None:
    """The user (and organization, for an org API key) a raw bearer token acts as."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "organization")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True)
        .first()
    )
    now = clock.now()
    if (
        token is None
        or not token.user.is_active
        or (token.expires_at and token.expires_at <= now)
    ):
        return None
    if (
        token.organization_id is not None
        and not OrganizationMember.objects.filter(
            organization_id=token.organization_id,
            user_id=token.user_id,
            role=OrganizationMember.Role.ADMIN,
        ).exists()
    ):
        return None  # the key's creator is no longer an admin of the organization
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token.organization


@transaction.atomic
def revoke_api_token(*, user: User, token_id: int) -> None:
    updated = ApiToken.objects.filter(
        pk=token_id, user=user, revoked_at__isnull=True
    ).update(revoked_at=clock.now())
    if not updated:
        raise NotFound("No such token")


ADDRESS_FIELDS = (
    "recipient",
    "phone",
    "country",
    "province",
    "city",
    "district",
    "line1",
    "postcode",
)


def validate_address(data: dict) -> dict:
    """Clean an address dict; raise ValidationFailed naming the bad field."""
    cleaned = {k: str(data.get(k) or "").strip() for k in ADDRESS_FIELDS}
    for field in ("recipient", "phone", "city", "line1"):
        if not cleaned[field]:
            raise ValidationFailed(f"The address needs a {field}", field=field)
    if not MOBILE_RE.match(cleaned["phone"].replace(" ", "").replace("-", "")):
        raise ValidationFailed("The phone number is not valid", field="phone")
    cleaned["country"] = (cleaned["country"] or "CN").upper()
    if not re.fullmatch(r"[A-Z]{2}", cleaned["country"]):
        raise ValidationFailed("Country must be a two-letter ISO code", field="country")
    limits = {
        f.name: f.max_length for f in Address._meta.fields if f.name in ADDRESS_FIELDS
    }
    for field, value in cleaned.items():
        if len(value) > limits[field]:
            raise ValidationFailed(
                f"{field} is too long (at most {limits[field]})", field=field
            )
    return cleaned


@transaction.atomic
def add_address(*, user: User, data: dict, is_default: bool = False) -> Address:
    cleaned = validate_address(data)
    if Address.objects.filter(user=user).count() >= 50:
        raise ValidationFailed("An address book holds at most 50 addresses")
    first = not Address.objects.filter(user=user).exists()
    if is_default or first:
        Address.objects.filter(user=user, is_default=True).update(is_default=False)
    return Address.objects.create(user=user, is_default=is_default or first, **cleaned)


@transaction.atomic
def delete_address(*, user: User, address_id: int) -> None:
    deleted, _ = Address.objects.filter(user=user, pk=address_id).delete()
    if not deleted:
        raise NotFound("No such address")


@transaction.atomic
def open_shop(
    *,
    owner: User,
    name: str,
    kind: str = Shop.Kind.ENTERPRISE,
    description: str = "",
    currency: str = "CNY",
    slug: str | None = None,
) -> Shop:
    """Open a shop owned by ``owner``. Self-operated shops are opened by operators only."""
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationFailed(
            "A shop name of 1 to 120 characters is required", field="name"
        )
    if kind not in Shop.Kind.values:
        raise ValidationFailed(f"Unknown shop kind {kind!r}", field="kind")
    if kind == Shop.Kind.SELF_OPERATED and not owner.is_operator:
        raise ValidationFailed(
            "Only platform operators open the self-operated store", field="kind"
        )
    base = slugify(slug or name, allow_unicode=False) or "shop"
    candidate, n = base[:70], 1
    while Shop.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base[:64]}-{n}"
    shop = Shop.objects.create(
        name=name,
        slug=candidate,
        kind=kind,
        description=description[:5000],
        currency=currency,
    )
    ShopMember.objects.create(shop=shop, user=owner, role=ShopMember.Role.OWNER)
    return shop


@transaction.atomic
def add_shop_staff(
    *, shop: Shop, by: User, user: User, role: str = ShopMember.Role.STAFF
) -> ShopMember:
    if not ShopMember.objects.filter(
        shop=shop, user=by, role=ShopMember.Role.OWNER
    ).exists():
        raise NotFound("No such shop")
    member, _ = ShopMember.objects.update_or_create(
        shop=shop, user=user, defaults={"role": role}
    )
    return member


@transaction.atomic
def create_organization(
    *, admin: User, name: str, registration_number: str = ""
) -> Organization:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("An organization needs a name", field="name")
    org = Organization.objects.create(
        name=name[:200], registration_number=registration_number[:64]
    )
    OrganizationMember.objects.create(
        organization=org, user=admin, role=OrganizationMember.Role.ADMIN
    )
    return org


@transaction.atomic
def add_department(
    *, organization: Organization, name: str, parent: Department | None = None
) -> Department:
    if parent is not None and parent.organization_id != organization.pk:
        raise ValidationFailed("The parent department belongs to another organization")
    return Department.objects.create(
        organization=organization, name=name.strip()[:120], parent=parent
    )


@transaction.atomic
def add_organization_member(
    *,
    organization: Organization,
    user: User,
    role: str = OrganizationMember.Role.BUYER,
    department: Department | None = None,
) -> OrganizationMember:
    if department is not None and department.organization_id != organization.pk:
        raise ValidationFailed("That department belongs to another organization")
    member, _ = OrganizationMember.objects.update_or_create(
        organization=organization,
        user=user,
        defaults={"role": role, "department": department},
    )
    return member
