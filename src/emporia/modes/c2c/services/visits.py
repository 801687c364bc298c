"""Visit recording for the seller growth center."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from emporia.kernel import clock
from emporia.kernel.errors import ValidationFailed

from ..models.growth import ShopVisit


def visitor_key(*, user=None, session_key: str | None = None) -> str | None:
    """The visitor key: "u<id>" for a logged-in user, "s<session key>" for
    an anonymous session, None when neither is known (nothing is recorded)."""
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    if session_key:
        return f"s{session_key}"[:64]
    return None


@transaction.atomic
def record_visit(
    *, shop_id: int, visitor: str, user=None, product_id: int | None = None
) -> bool:
    """Count ``visitor`` once for the shop on today's calendar day (UTC);
    True when no visit of theirs was on record for today. Costs one read
    for a returning visitor and one insert (``ON CONFLICT DO NOTHING``, so a
    race of two first pages counts once) for a new one."""
    if not visitor or len(visitor) > 64:
        raise ValidationFailed(
            _("A visitor key is 1 to 64 characters"), field="visitor"
        )
    day = clock.now().astimezone(dt.UTC).date()
    seen = ShopVisit.objects.filter(shop_id=shop_id, day=day, visitor=visitor)
    if seen.exists():
        return False
    ShopVisit.objects.bulk_create(
        [
            ShopVisit(
                shop_id=shop_id,
                day=day,
                visitor=visitor,
                user=user if user is not None and user.is_authenticated else None,
                product_id=product_id,
                first_at=clock.now(),
            )
        ],
        ignore_conflicts=True,
    )
    return True
