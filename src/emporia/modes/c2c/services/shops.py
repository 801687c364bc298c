"""Free shop opening (免费开店) and the listing limits of individual shops."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from emporia.core.accounts import services as accounts
from emporia.core.accounts.models import Shop, ShopMember
from emporia.core.catalog.extensions import ListingDecision, ListingRequest
from emporia.infra.outbox.services import emit
from emporia.kernel.errors import Conflict, NotFound, ValidationFailed

from .. import identity
from ..events.trust import IndividualShopOpened
from ..models import SellerIdentity
from ..selectors import shops as selectors


def id_number_hash(normalized: str) -> str:
    """A keyed hash of an ID number (HMAC-SHA256 with the platform's secret
    key): equal numbers match, the number cannot be read back."""
    return salted_hmac(
        "emporia.c2c.identity", normalized, algorithm="sha256"
    ).hexdigest()


def _check_identity(*, owner, real_name: str, id_number: str, mobile: str) -> dict:
    """Cleaned identity fields, or ValidationFailed / Conflict (one person,
    one individual shop)."""
    real_name = identity.normalize_real_name(real_name)
    number = identity.normalize_id_number(id_number)
    mobile = identity.normalize_mobile(mobile)
    digest = id_number_hash(number)
    if SellerIdentity.objects.filter(user_id=owner.pk).exists():
        raise Conflict(_("You already have an individual shop"), code="shop_exists")
    if SellerIdentity.objects.filter(id_number_hash=digest).exists():
        raise Conflict(
            _("A shop was already opened with this ID number"),
            code="identity_used",
            field="id_number",
        )
    return {
        "real_name": real_name,
        "id_number_masked": identity.mask_id_number(number),
        "id_number_hash": digest,
        "mobile": mobile,
    }


def _record_identity(*, shop: Shop, owner, fields: dict) -> SellerIdentity:
    try:
        with transaction.atomic():
            found = SellerIdentity.objects.create(shop=shop, user=owner, **fields)
    except IntegrityError as exc:  # a twin request won the race
        raise Conflict(
            _("A shop was already opened with this identity"), code="identity_used"
        ) from exc
    emit(IndividualShopOpened(shop_id=shop.pk, owner_id=owner.pk))
    return found


@transaction.atomic
def open_individual_shop(
    *,
    owner,
    shop_name: str,
    real_name: str,
    id_number: str,
    mobile: str,
    description: str = "",
) -> Shop:
    """An individual opens a shop for free with identity details only.

    Validates the real name, the resident ID number (format, date of birth,
    MOD 11-2 check character) and the mobile number (ValidationFailed naming
    the field, nothing written). One person, one individual shop: a user who
    has one, or an ID number already used, is a Conflict. Opens a core shop
    of kind ``individual`` owned by ``owner`` and records the identity with
    the ID number masked and hashed, never in clear.
    """
    fields = _check_identity(
        owner=owner, real_name=real_name, id_number=id_number, mobile=mobile
    )
    if len(description) > 5000:
        raise ValidationFailed(
            _("The description is at most 5000 characters"), field="description"
        )
    shop = accounts.open_shop(
        owner=owner,
        name=shop_name,
        kind=Shop.Kind.INDIVIDUAL,
        description=description,
    )
    _record_identity(shop=shop, owner=owner, fields=fields)
    return shop


@transaction.atomic
def verify_individual_shop(
    *, shop: Shop, owner, real_name: str, id_number: str, mobile: str
) -> SellerIdentity:
    """Record the identity behind an individual shop opened elsewhere (the
    core's generic "open a shop" form). Only its owner may; same checks and
    storage as ``open_individual_shop``. NotFound for a stranger, Conflict for
    a shop that is not individual or is verified already."""
    if not ShopMember.objects.filter(
        shop_id=shop.pk, user_id=owner.pk, role=ShopMember.Role.OWNER
    ).exists():
        raise NotFound(_("No such shop"))
    if shop.kind != Shop.Kind.INDIVIDUAL:
        raise Conflict(_("Only individual shops are verified this way"))
    if SellerIdentity.objects.filter(shop_id=shop.pk).exists():
        raise Conflict(_("This shop is verified already"), code="shop_exists")
    fields = _check_identity(
        owner=owner, real_name=real_name, id_number=id_number, mobile=mobile
    )
    return _record_identity(shop=shop, owner=owner, fields=fields)


class ListingLimitPolicy:
    """``catalog.listing_policies`` for individual shops: a new shop lists at
    most the first tier's number of products; the limit lifts as good orders
    (completed, minus disputes lost) accumulate — ``C2C_LISTING_TIERS``."""

    def decide(self, request: ListingRequest) -> ListingDecision | None:
        if request.shop_kind != Shop.Kind.INDIVIDUAL:
            return None
        tier = selectors.listing_tier(request.shop_id)
        if tier.limit is None or request.listed_count < tier.limit:
            return ListingDecision(allowed=True, limit=tier.limit)
        if tier.next_at is None:
            reason = _("A shop at this level lists at most %(limit)s products.")
        elif tier.next_limit:
            reason = _(
                "A shop at this level lists at most %(limit)s products. It lifts "
                "to %(next)s after %(at)s good orders (you have %(good)s)."
            )
        else:
            reason = _(
                "A shop at this level lists at most %(limit)s products. It lifts "
                "to no limit after %(at)s good orders (you have %(good)s)."
            )
        return ListingDecision(
            allowed=False,
            reason=reason
            % {
                "limit": tier.limit,
                "next": tier.next_limit,
                "at": tier.next_at,
                "good": tier.good_orders,
            },
            limit=tier.limit,
        )
