"""Writes for parties and access: sign-up, API tokens, addresses, shops,
organizations."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
import secrets
import threading
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from emporia.infra import images
from emporia.infra.outbox.services import emit
from emporia.infra.sql import CompiledQuery
from emporia.kernel import clock
from emporia.kernel.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)

from . import events
from . import selectors as accounts_selectors
from .backends import normalize_login
from .clients import ClientInfo
from .models import (
    Address,
    ApiToken,
    Department,
    LoginRecord,
    Organization,
    OrganizationMember,
    Shop,
    ShopMember,
    ShopProfileChange,
    ShopStatusChange,
    User,
)

MOBILE_RE = re.compile(r"^\+?[0-9]{6,15}$")
TOKEN_PREFIX = "emp_"
SIGNUP_CONTEXT_KEYS = 8
SIGNUP_CONTEXT_KEY_LEN = 40
SIGNUP_CONTEXT_VALUE_LEN = 200

# Refusals that name a field, one whole sentence per field so that each reads
# well once translated (``_(…)`` at the raise site; ``gettext_noop`` only marks
# them for the catalog). English wording: "The address needs a city".
_ADDRESS_NEEDS = {
    "recipient": gettext_noop("The address needs a recipient"),
    "phone": gettext_noop("The address needs a phone"),
    "city": gettext_noop("The address needs a city"),
    "line1": gettext_noop("The address needs a line1"),
}
_ADDRESS_TOO_LONG = {
    "recipient": gettext_noop("recipient is too long (at most %(max)s)"),
    "phone": gettext_noop("phone is too long (at most %(max)s)"),
    "country": gettext_noop("country is too long (at most %(max)s)"),
    "province": gettext_noop("province is too long (at most %(max)s)"),
    "city": gettext_noop("city is too long (at most %(max)s)"),
    "district": gettext_noop("district is too long (at most %(max)s)"),
    "line1": gettext_noop("line1 is too long (at most %(max)s)"),
    "postcode": gettext_noop("postcode is too long (at most %(max)s)"),
}
_SHOP_NOT_TEXT = {
    "name": gettext_noop("name must be text"),
    "name_en": gettext_noop("name_en must be text"),
    "description": gettext_noop("description must be text"),
    "description_en": gettext_noop("description_en must be text"),
    "reason": gettext_noop("reason must be text"),
}
_SHOP_NEEDS = {"name": gettext_noop("The shop needs a name")}
_SHOP_TOO_LONG = {
    "name": gettext_noop("name is too long (at most %(max)s characters)"),
    "name_en": gettext_noop("name_en is too long (at most %(max)s characters)"),
    "description": gettext_noop("description is too long (at most %(max)s characters)"),
    "description_en": gettext_noop(
        "description_en is too long (at most %(max)s characters)"
    ),
    "reason": gettext_noop("reason is too long (at most %(max)s characters)"),
}
# (current status, expected status) → why a freeze or unfreeze changed nothing
_SHOP_STATUS_CLASH = {
    ("frozen", "active"): gettext_noop(
        "Shop %(shop)s is frozen, not active; nothing was changed"
    ),
    ("closed", "active"): gettext_noop(
        "Shop %(shop)s is closed, not active; nothing was changed"
    ),
    ("active", "frozen"): gettext_noop(
        "Shop %(shop)s is active, not frozen; nothing was changed"
    ),
    ("closed", "frozen"): gettext_noop(
        "Shop %(shop)s is closed, not frozen; nothing was changed"
    ),
}
_SHOP_STATUS_CLASH_ANY = gettext_noop(
    "Shop %(shop)s is %(current)s, not %(old)s; nothing was changed"
)


def _check_email(email: str) -> str:
    try:
        validate_email(email)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            _("%(email)s is not a valid email address") % {"email": repr(email)},
            field="email",
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
    signup_context: dict | None = None,
) -> User:
    """Create a buyer account that logs in by email or mobile number.

    Raises ValidationFailed for a malformed email/mobile or weak password and
    Conflict when the email or mobile is already registered. Emits
    ``accounts.user_registered`` carrying ``signup_context`` — opaque
    attribution from the web or API layer (a referral code, a device id), cut
    to at most 8 short string entries; the core gives it no meaning.
    """
    context = _clean_context(signup_context)
    email = normalize_login(email) if email else None
    mobile = normalize_login(mobile) if mobile else None
    if not email and not mobile:
        raise ValidationFailed(
            _("Give an email address or a mobile number"), field="email"
        )
    if email:
        _check_email(email)
    if mobile and not MOBILE_RE.match(mobile):
        raise ValidationFailed(
            _("%(mobile)s is not a valid mobile number") % {"mobile": repr(mobile)},
            field="mobile",
        )
    display_name = (display_name or "").strip()
    if not display_name or len(display_name) > 80:
        raise ValidationFailed(
            _("A display name of 1 to 80 characters is required"),
            field="display_name",
        )
    try:
        validate_password(password)
    except DjangoValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="password") from exc
    if User.objects.filter(
        Q(email__iexact=email) if email else Q(pk__in=[])
    ).exists() or (mobile and User.objects.filter(mobile=mobile).exists()):
        raise Conflict(_("An account with this email or mobile number already exists"))
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                mobile=mobile,
                display_name=display_name,
                language=language,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("An account with this email or mobile number already exists")
        ) from exc
    emit(events.UserRegistered(user_id=user.pk, context=context))
    return user


def _clean_context(context: dict | None) -> dict:
    """Keep the first few string entries of a signup context, trimmed."""
    clean: dict[str, str] = {}
    for key, value in (context or {}).items():
        if len(clean) >= SIGNUP_CONTEXT_KEYS:
            break
        if isinstance(key, str) and isinstance(value, str) and key and value:
            clean[key[:SIGNUP_CONTEXT_KEY_LEN]] = value[:SIGNUP_CONTEXT_VALUE_LEN]
    return clean


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_api_token(
    *,
    user: User,
    name: str,
    organization: Organization | None = None,
    expires_at=None,
    login_from: ClientInfo | None = None,
) -> tuple[ApiToken, str]:
    """Issue a bearer token; the raw secret is returned once and never stored.

    An organization API key may only be created by an admin of that organization.
    A token exchanged for a password is a login: pass ``login_from`` (the
    client) and it is recorded as one (``record_login``, channel "api").
    """
    if (
        organization is not None
        and not OrganizationMember.objects.filter(
            organization=organization, user=user, role=OrganizationMember.Role.ADMIN
        ).exists()
    ):
        raise NotFound(_("No such organization"))
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
    if login_from is not None:
        record_login(user=user, client=login_from, channel="api")
    return token, raw


@dataclass(frozen=True)
class _Grant:
    """What a token hash was found to act as, and until when that may be reused."""

    token_id: int
    user: User
    organization: Organization | None
    expires_at: dt.datetime | None
    reuse_until: dt.datetime


_grants: dict[str, _Grant] = {}
_grants_lock = threading.Lock()
MAX_CACHED_GRANTS = 10_000


def _grant_seconds() -> float:
    return float(settings.EMPORIA.get("TOKEN_CACHE_SECONDS", 0))


def _forget_grants(*, token_id: int | None = None) -> None:
    """Drop this process's cached token lookups (one token's, or all)."""
    with _grants_lock:
        for digest in [
            d for d, g in _grants.items() if token_id is None or g.token_id == token_id
        ]:
            del _grants[digest]


def _copies(grant: _Grant) -> tuple[User, Organization | None]:
    # Each request gets its own instances: a handler may change request.user.
    org = copy.copy(grant.organization) if grant.organization is not None else None
    return copy.copy(grant.user), org


# A cache miss runs this on every bearer request a process has not seen for
# TOKEN_CACHE_SECONDS: compiled once, not per request.
_LIVE_TOKEN = CompiledQuery(
    lambda digest: (
        ApiToken.objects.select_related("user", "organization")
        .filter(key_hash=digest, revoked_at__isnull=True)
        .order_by("pk")[:1]
    ),
    digest=str,
)


def authenticate_token(*, raw: str) -> tuple[User, Organization | None] | None:
    """The user (and organization, for an org API key) a raw bearer token acts as.

    Each process may reuse a successful lookup for
    ``EMPORIA["TOKEN_CACHE_SECONDS"]`` (0 turns that off): the bearer check
    then costs no query. Revoking a token takes effect at once in the process
    that revoked it, and within that many seconds in the others; so do a
    deactivated user and an org-key creator who stops being an admin. An
    expired token is refused at its expiry time whatever the cache holds.
    """
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    digest = _hash(raw)
    now = clock.now()
    grant = _grants.get(digest)
    if grant is not None and now < grant.reuse_until:
        if grant.expires_at and grant.expires_at <= now:
            return None
        return _copies(grant)
    token = _LIVE_TOKEN.first(digest=digest)
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
    seconds = _grant_seconds()
    if seconds > 0:
        grant = _Grant(
            token_id=token.pk,
            user=copy.copy(token.user),
            organization=copy.copy(token.organization),
            expires_at=token.expires_at,
            reuse_until=now + dt.timedelta(seconds=seconds),
        )
        with _grants_lock:
            if len(_grants) >= MAX_CACHED_GRANTS:
                _grants.clear()
            _grants[digest] = grant
    return token.user, token.organization


@transaction.atomic
def revoke_api_token(*, user: User, token_id: int) -> None:
    """Revoke one of the user's tokens (NotFound for another user's); it stops
    authenticating at once here and within TOKEN_CACHE_SECONDS elsewhere."""
    updated = ApiToken.objects.filter(
        pk=token_id, user=user, revoked_at__isnull=True
    ).update(revoked_at=clock.now())
    if not updated:
        raise NotFound(_("No such token"))
    _forget_grants(token_id=token_id)
    # …and again once committed, should a lookup have re-cached it meanwhile.
    transaction.on_commit(lambda: _forget_grants(token_id=token_id))


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
            raise ValidationFailed(_(_ADDRESS_NEEDS[field]), field=field)
    if not MOBILE_RE.match(cleaned["phone"].replace(" ", "").replace("-", "")):
        raise ValidationFailed(_("The phone number is not valid"), field="phone")
    cleaned["country"] = (cleaned["country"] or "CN").upper()
    if not re.fullmatch(r"[A-Z]{2}", cleaned["country"]):
        raise ValidationFailed(
            _("Country must be a two-letter ISO code"), field="country"
        )
    limits = {
        f.name: f.max_length for f in Address._meta.fields if f.name in ADDRESS_FIELDS
    }
    for field, value in cleaned.items():
        if len(value) > limits[field]:
            raise ValidationFailed(
                _(_ADDRESS_TOO_LONG[field]) % {"max": limits[field]}, field=field
            )
    return cleaned


@transaction.atomic
def add_address(*, user: User, data: dict, is_default: bool = False) -> Address:
    cleaned = validate_address(data)
    if Address.objects.filter(user=user).count() >= 50:
        raise ValidationFailed(_("An address book holds at most 50 addresses"))
    first = not Address.objects.filter(user=user).exists()
    if is_default or first:
        Address.objects.filter(user=user, is_default=True).update(is_default=False)
    return Address.objects.create(user=user, is_default=is_default or first, **cleaned)


@transaction.atomic
def delete_address(*, user: User, address_id: int) -> None:
    deleted, _by_model = Address.objects.filter(user=user, pk=address_id).delete()
    if not deleted:
        raise NotFound(_("No such address"))


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
            _("A shop name of 1 to 120 characters is required"), field="name"
        )
    if kind not in Shop.Kind.values:
        raise ValidationFailed(
            _("Unknown shop kind %(kind)s") % {"kind": repr(kind)}, field="kind"
        )
    if kind == Shop.Kind.SELF_OPERATED and not owner.is_operator:
        raise ValidationFailed(
            _("Only platform operators open the self-operated store"), field="kind"
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


MAX_SHOP_NAME = 120
MAX_SHOP_DESCRIPTION = 5000
MAX_SHOP_LOGO_BYTES = 2 * 1024 * 1024
MAX_SHOP_BANNER_BYTES = 5 * 1024 * 1024


def _shop_text(value, *, field: str, max_length: int, required: bool) -> str:
    if not isinstance(value, str):
        raise ValidationFailed(_(_SHOP_NOT_TEXT[field]), field=field)
    value = value.strip()
    if required and not value:
        raise ValidationFailed(_(_SHOP_NEEDS[field]), field=field)
    if len(value) > max_length:
        raise ValidationFailed(
            _(_SHOP_TOO_LONG[field]) % {"max": max_length}, field=field
        )
    return value


@transaction.atomic
def update_shop(
    *,
    shop_id: int,
    by: User,
    name: str | None = None,
    name_en: str | None = None,
    description: str | None = None,
    description_en: str | None = None,
    logo=None,
    banner=None,
    reason: str = "",
) -> Shop:
    """Change a shop's profile: its name and description in Chinese and
    English, its logo (JPEG/PNG/WebP, at most 2 MB) and banner (at most 5 MB).

    ``None`` leaves a field as it is. Only the shop's owner (or a platform
    operator) may do it: anyone else, staff included, gets NotFound. Every
    field is checked before anything is written (ValidationFailed names the
    field). A change writes one ShopProfileChange row (who, when, which
    fields, why); a call that changes nothing writes none.
    """
    shop = accounts_selectors.staff_shop(user=by, shop_id=shop_id, owner_only=True)
    shop = Shop.objects.select_for_update().get(pk=shop.pk)
    texts = {
        "name": (name, MAX_SHOP_NAME, True),
        "name_en": (name_en, MAX_SHOP_NAME, False),
        "description": (description, MAX_SHOP_DESCRIPTION, False),
        "description_en": (description_en, MAX_SHOP_DESCRIPTION, False),
    }
    changes: dict[str, object] = {}
    for field, (value, max_length, required) in texts.items():
        if value is None:
            continue
        value = _shop_text(value, field=field, max_length=max_length, required=required)
        if value != getattr(shop, field):
            changes[field] = value
    pictures = {}
    for field, upload, max_bytes in (
        ("logo", logo, MAX_SHOP_LOGO_BYTES),
        ("banner", banner, MAX_SHOP_BANNER_BYTES),
    ):
        if upload is not None:
            pictures[field] = images.read_image(
                upload, field=field, max_bytes=max_bytes
            )
    reason = _shop_text(reason or "", field="reason", max_length=255, required=False)
    if not changes and not pictures:
        return shop
    for field, value in changes.items():
        setattr(shop, field, value)
    for field, (data, ext) in pictures.items():
        getattr(shop, field).save(
            f"{shop.pk}-{uuid.uuid4().hex[:12]}.{ext}", ContentFile(data), save=False
        )
    changed = [*changes, *pictures]
    shop.save(update_fields=changed)
    ShopProfileChange.objects.create(
        shop=shop, actor=by, fields=changed, reason=reason, at=clock.now()
    )
    return shop


@transaction.atomic
def add_shop_staff(
    *, shop: Shop, by: User, user: User, role: str = ShopMember.Role.STAFF
) -> ShopMember:
    if not ShopMember.objects.filter(
        shop=shop, user=by, role=ShopMember.Role.OWNER
    ).exists():
        raise NotFound(_("No such shop"))
    member, _created = ShopMember.objects.update_or_create(
        shop=shop, user=user, defaults={"role": role}
    )
    return member


@transaction.atomic
def create_organization(
    *, admin: User, name: str, registration_number: str = ""
) -> Organization:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("An organization needs a name"), field="name")
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
        raise ValidationFailed(
            _("The parent department belongs to another organization")
        )
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
        raise ValidationFailed(_("That department belongs to another organization"))
    member, _created = OrganizationMember.objects.update_or_create(
        organization=organization,
        user=user,
        defaults={"role": role, "department": department},
    )
    return member


# --- client capture and shop freezing -------------------------------------------


@transaction.atomic
def record_login(*, user: User, client: ClientInfo, channel: str) -> LoginRecord:
    """Remember a successful login with the client's IP and device id
    (``channel`` "web" or "api"). Trust and safety reads these; nothing else."""
    if channel not in LoginRecord.Channel.values:
        raise ValidationFailed(f"Unknown login channel {channel!r}", field="channel")
    return LoginRecord.objects.create(
        user=user,
        channel=channel,
        ip=client.ip,
        device_id=client.device_id[:64],
        at=clock.now(),
    )


@transaction.atomic
def forget_old_logins() -> int:
    """Blank the IP and device of logins older than the retention period
    (``EMPORIA["CLIENT_DATA_RETENTION_DAYS"]``); returns how many were blanked."""
    days = int(settings.EMPORIA.get("CLIENT_DATA_RETENTION_DAYS", 180))
    cutoff = clock.now() - dt.timedelta(days=days)
    return (
        LoginRecord.objects.filter(at__lt=cutoff)
        .exclude(ip__isnull=True, device_id="")
        .update(ip=None, device_id="")
    )


def _set_shop_status(
    *, shop: Shop, old: str, new: str, actor: User | None, reason: str
) -> Shop:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why"), field="reason")
    updated = Shop.objects.filter(pk=shop.pk, status=old).update(status=new)
    if not updated:
        current = (
            Shop.objects.filter(pk=shop.pk).values_list("status", flat=True).first()
        )
        message = _SHOP_STATUS_CLASH.get((current, old), _SHOP_STATUS_CLASH_ANY)
        raise InvalidTransition(
            _(message) % {"shop": shop.name, "current": current, "old": old},
            current=current,
        )
    ShopStatusChange.objects.create(
        shop=shop,
        from_status=old,
        to_status=new,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason[:255],
        at=clock.now(),
    )
    shop.status = new
    return shop


@transaction.atomic
def freeze_shop(*, shop: Shop, actor: User | None, reason: str) -> Shop:
    """Freeze an active shop: checkout refuses its products and search hides
    them until ``unfreeze_shop``. Records who/when/why and emits
    ``accounts.shop_frozen``. Raises InvalidTransition unless it is active."""
    _set_shop_status(
        shop=shop,
        old=Shop.Status.ACTIVE,
        new=Shop.Status.FROZEN,
        actor=actor,
        reason=reason,
    )
    emit(
        events.ShopFrozen(
            shop_id=shop.pk, actor_id=getattr(actor, "pk", None), reason=reason[:255]
        )
    )
    return shop


@transaction.atomic
def unfreeze_shop(*, shop: Shop, actor: User | None, reason: str) -> Shop:
    """Make a frozen shop active again; records who/when/why and emits
    ``accounts.shop_unfrozen``. Raises InvalidTransition unless it is frozen."""
    _set_shop_status(
        shop=shop,
        old=Shop.Status.FROZEN,
        new=Shop.Status.ACTIVE,
        actor=actor,
        reason=reason,
    )
    emit(
        events.ShopUnfrozen(
            shop_id=shop.pk, actor_id=getattr(actor, "pk", None), reason=reason[:255]
        )
    )
    return shop
