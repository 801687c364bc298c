"""Shop payouts: money leaves a shop's payable balance for its bank account.

``request_payout`` is the one writer. Under a lock on the shop row it checks
the amount against the minimum, the daily limit and the shop's available
(payable) balance, then posts, in one transaction::

    Dr shop:ID:payable:CUR      amount   (the shop is owed less)
    Cr platform:psp_clearing:CUR amount  (the money leaves our account)
    Dr shop:ID:withdrawals:CUR  amount   (memo pair: grows "withdrawn")
    Cr shop:ID:withdrawn:CUR    amount

and records a ``Payout``. Two payouts racing cannot overdraw: on PostgreSQL
the second waits for the shop row lock and then reads the first's postings;
on SQLite writers are serialized by BEGIN IMMEDIATE.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import zoneinfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from emporia.core.accounts.models import Shop, ShopMember, User
from emporia.core.ledger import selectors as ledger_selectors
from emporia.core.ledger import services as ledger
from emporia.kernel import clock
from emporia.kernel.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from emporia.kernel.money import Money

from . import reasons
from .models import Payout

BANK_ACCOUNT_RE = re.compile(r"^[A-Z0-9]{8,34}$")


def payout_min_minor() -> int:
    return int(settings.EMPORIA.get("PAYOUT_MIN_MINOR", 1000))


def payout_daily_limit_minor() -> int:
    return int(settings.EMPORIA.get("PAYOUT_DAILY_LIMIT_MINOR", 5_000_000))


def mask_bank_account(raw: str) -> str:
    """Validate a bank account number (8–34 letters/digits, spaces and dashes
    ignored) and keep only its last four characters: ``**** **** 1234``."""
    cleaned = re.sub(r"[\s-]", "", str(raw or "")).upper()
    if not BANK_ACCOUNT_RE.match(cleaned):
        raise ValidationFailed(
            _("A bank account number is 8 to 34 letters or digits"),
            field="bank_account",
        )
    return f"**** **** {cleaned[-4:]}"


def _lock_shop(shop_id: int) -> Shop:
    # select_for_update is a no-op on SQLite, where BEGIN IMMEDIATE already
    # serializes writers.
    shop = Shop.objects.select_for_update().filter(pk=shop_id).first()
    if shop is None:
        raise NotFound(_("No such shop"))
    return shop


def payout_day_zone() -> zoneinfo.ZoneInfo:
    """The time zone whose calendar day the daily payout limit counts:
    ``EMPORIA["PAYOUT_DAY_TIME_ZONE"]``, else the platform's ``TIME_ZONE``."""
    return zoneinfo.ZoneInfo(
        settings.EMPORIA.get("PAYOUT_DAY_TIME_ZONE") or settings.TIME_ZONE
    )


def payout_day_start(now: dt.datetime) -> dt.datetime:
    """Midnight of the platform's local day containing ``now`` (aware)."""
    local = now.astimezone(payout_day_zone())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _paid_today(shop_id: int, currency: str, now: dt.datetime) -> int:
    start = payout_day_start(now)
    total = Payout.objects.filter(
        shop_id=shop_id, currency=currency, created_at__gte=start
    ).aggregate(s=Sum("amount_minor"))["s"]
    return int(total or 0)


@transaction.atomic
def request_payout(
    *,
    shop: Shop,
    by: User,
    amount: Money,
    bank_account: str,
    key: str | None = None,
) -> Payout:
    """Pay ``amount`` out of the shop's available balance to ``bank_account``.

    Contract: only an owner of the shop may ask (a stranger gets NotFound,
    other staff PermissionDenied); ``amount`` is at least ``PAYOUT_MIN_MINOR``,
    keeps the shop's payouts today (the platform's local calendar day, see
    ``payout_day_zone``) within ``PAYOUT_DAILY_LIMIT_MINOR``
    and does not exceed the available balance (ValidationFailed otherwise,
    nothing written). ``key`` makes the request idempotent: reusing it is a
    Conflict. The bank account is stored masked.
    """
    role = (
        ShopMember.objects.filter(shop_id=shop.pk, user_id=by.pk)
        .values_list("role", flat=True)
        .first()
    )
    if role is None:
        raise NotFound(_("No such shop"))
    if role != ShopMember.Role.OWNER:
        raise PermissionDenied(_("Only the shop's owner can request a payout"))
    if not isinstance(amount, Money):
        raise ValidationFailed("The amount must be Money", field="amount")
    masked = mask_bank_account(bank_account)
    minimum = Money(payout_min_minor(), amount.currency)
    if amount < minimum:
        raise ValidationFailed(
            _("The smallest payout is %(min)s") % {"min": minimum},
            field="amount",
            min=minimum.minor,
        )
    key = key or f"payout:{shop.pk}:{uuid.uuid4().hex}"
    if len(key) > 120:
        raise ValidationFailed(_("The idempotency key is too long"), field="key")

    shop = _lock_shop(shop.pk)
    if shop.status != Shop.Status.ACTIVE:
        raise ValidationFailed(_("A frozen or closed shop cannot request payouts"))
    if Payout.objects.filter(key=key).exists():
        raise Conflict(_("This payout was already requested"), code="duplicate_payout")
    now = clock.now()
    limit = payout_daily_limit_minor()
    if _paid_today(shop.pk, amount.currency, now) + amount.minor > limit:
        raise ValidationFailed(
            _("Payouts are limited to %(limit)s a day")
            % {"limit": Money(limit, amount.currency)},
            field="amount",
            daily_limit=limit,
        )
    available = ledger_selectors.shop_money(shop.pk, amount.currency).available
    if amount > available:
        raise ValidationFailed(
            _("Only %(available)s is available to withdraw") % {"available": available},
            field="amount",
            available=available.minor,
        )
    ledger.post(
        key=key,
        kind="payout",
        memo=reasons.PAYOUT.text(account=masked),
        ref=f"shop:{shop.pk}",
        actor=by,
        legs=[
            ledger.Leg.debit(
                ledger.shop_account(shop.pk, "payable", amount.currency), amount
            ),
            ledger.Leg.credit(
                ledger.platform_account("psp_clearing", amount.currency), amount
            ),
            ledger.Leg.debit(
                ledger.shop_account(shop.pk, "withdrawals", amount.currency), amount
            ),
            ledger.Leg.credit(
                ledger.shop_account(shop.pk, "withdrawn", amount.currency), amount
            ),
        ],
    )
    try:
        with transaction.atomic():
            return Payout.objects.create(
                shop=shop,
                amount_minor=amount.minor,
                currency=amount.currency,
                bank_account=masked,
                key=key,
                requested_by=by,
                created_at=now,
            )
    except IntegrityError as exc:  # pragma: no cover — the ledger key caught it
        raise Conflict(_("This payout was already requested")) from exc


def payout_allowance(shop_id: int, currency: str) -> dict[str, Money]:
    """What the shop may still withdraw today: ``minimum`` per payout,
    ``daily_limit``, ``paid_today`` and ``left_today`` (local day)."""
    limit = payout_daily_limit_minor()
    paid = _paid_today(shop_id, currency, clock.now())
    return {
        "minimum": Money(payout_min_minor(), currency),
        "daily_limit": Money(limit, currency),
        "paid_today": Money(paid, currency),
        "left_today": Money(max(0, limit - paid), currency),
    }


def payouts_for(shop_id: int) -> QuerySet[Payout]:
    """A shop's payouts, newest first."""
    return Payout.objects.filter(shop_id=shop_id).order_by("-created_at", "-id")
