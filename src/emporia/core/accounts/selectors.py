"""Reads for parties, and the object-level access checks every app uses."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from emporia.infra.sql import CompiledQuery
from emporia.kernel import clock
from emporia.kernel.errors import NotFound

from .models import (
    Address,
    ApiToken,
    Organization,
    Shop,
    ShopMember,
    ShopProfileChange,
    User,
)


def shops_for(user: User) -> QuerySet[Shop]:
    return Shop.objects.filter(members__user=user).order_by("id")


def staff_shop(*, user: User, shop_id: int, owner_only: bool = False) -> Shop:
    """The shop if ``user`` works there (operators see every shop); else NotFound,
    so a stranger cannot even learn that the shop id exists."""
    if user.is_authenticated and user.is_operator:
        shop = Shop.objects.filter(pk=shop_id).first()
    else:
        roles = [ShopMember.Role.OWNER] if owner_only else list(ShopMember.Role.values)
        shop = Shop.objects.filter(
            pk=shop_id, members__user=user, members__role__in=roles
        ).first()
    if shop is None:
        raise NotFound(_("No such shop"))
    return shop


def is_shop_staff(*, user: User, shop_id: int) -> bool:
    return ShopMember.objects.filter(shop_id=shop_id, user=user).exists()


def addresses_for(user: User) -> QuerySet[Address]:
    return Address.objects.filter(user=user).order_by("-is_default", "-id")


_ADDRESS = CompiledQuery(
    lambda user_id, address_id: Address.objects.filter(user_id=user_id, pk=address_id),
    user_id=int,
    address_id=int,
)


def address_for(*, user: User, address_id: int) -> Address:
    address = (
        _ADDRESS.first(user_id=user.pk, address_id=address_id)
        if type(address_id) is int
        else None
    )
    if address is None:
        raise NotFound(_("No such address"))
    return address


def tokens_for(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-id")


def public_shop(*, shop_id: int) -> Shop:
    shop = Shop.objects.filter(pk=shop_id).exclude(status=Shop.Status.CLOSED).first()
    if shop is None:
        raise NotFound(_("No such shop"))
    return shop


def shop_profile_changes(*, shop_id: int) -> QuerySet[ShopProfileChange]:
    """A shop's profile change log, newest first (callers check access)."""
    return (
        ShopProfileChange.objects.filter(shop_id=shop_id)
        .select_related("actor")
        .order_by("-at", "-id")
    )


def organization_for(*, user: User, org_id: int) -> Organization:
    """An organization the user is a member of; NotFound otherwise."""
    org = Organization.objects.filter(pk=org_id, members__user=user).first()
    if org is None:
        raise NotFound(_("No such organization"))
    return org


def shops_opened_by_day(*, days: int = 30) -> list[tuple[dt.date, int]]:
    """Shops opened per day (UTC) over the last ``days`` days, oldest first, zero-filled
    (for the operations console)."""
    days = max(1, min(int(days), 366))
    today = (
        clock.now()
        .astimezone(dt.UTC)
        .replace(hour=0, minute=0, second=0, microsecond=0)
    )
    since = today - dt.timedelta(days=days - 1)
    start = since.date()
    rows = dict(
        Shop.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=dt.UTC))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        (start + dt.timedelta(days=i), rows.get(start + dt.timedelta(days=i), 0))
        for i in range(days)
    ]


def platform_counts() -> dict[str, int]:
    """Head counts for the operations console: accounts and shops by status."""
    shops = dict(Shop.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "users": User.objects.count(),
        "shops": sum(shops.values()),
        **{f"shops_{status}": shops.get(status, 0) for status in Shop.Status.values},
    }
