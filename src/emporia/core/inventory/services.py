"""Stock writes: reservations, sales, restocks and adjustments.

The oversell guarantee rests on one statement: :func:`reserve` raises
``reserved`` for every stock row of a checkout in a single conditional
``UPDATE … WHERE on_hand - reserved >= wanted``. If any row lacks the units,
fewer rows match than were asked for and the whole transaction is rolled
back. The check constraint ``reserved <= on_hand`` backs it up. This holds on
SQLite (writers serialized by BEGIN IMMEDIATE) and on PostgreSQL (row locks
taken by the UPDATE itself, re-checking the condition after waiting).

Every change of ``on_hand`` writes a StockMovement in the same transaction,
so the movement log always sums to on-hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _

from emporia.core.accounts.models import Shop
from emporia.core.catalog.models import Sku
from emporia.infra.sql import CompiledQuery, insert_objects, update_where
from emporia.kernel import clock
from emporia.kernel.errors import Conflict, NotFound, OutOfStock, ValidationFailed

from . import reasons
from .models import Location, Reservation, StockItem, StockMovement

STOCK_TABLE = StockItem._meta.db_table
MAX_STOCK = 10**9
MAX_REASON = StockMovement._meta.get_field("reason").max_length


@dataclass(frozen=True)
class Wanted:
    stock_item_id: int
    quantity: int
    ref: str


def _case(pairs: Sequence[tuple[int, int]]) -> tuple[str, list[int]]:
    sql = "CASE id " + " ".join("WHEN %s THEN %s" for _ in pairs) + " END"
    params: list[int] = []
    for item_id, qty in pairs:
        params += [item_id, qty]
    return sql, params


def _bulk_change(
    pairs: Sequence[tuple[int, int]],
    *,
    reserved: int,
    on_hand: int,
    need_available: bool,
) -> list[int]:
    """One UPDATE over many stock rows: reserved += r*q, on_hand += h*q;
    returns the ids of the rows it changed."""
    case, params = _case(pairs)
    ids = [p[0] for p in pairs]
    sets, set_params = [], []
    if reserved:
        sets.append(f"reserved = reserved + ({reserved}) * {case}")
        set_params += params
    if on_hand:
        sets.append(f"on_hand = on_hand + ({on_hand}) * {case}")
        set_params += params
    where = f"id IN ({', '.join(['%s'] * len(ids))})"
    where_params: list[int] = list(ids)
    if need_available:
        where += f" AND on_hand - reserved >= {case}"
        where_params += params
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {STOCK_TABLE} SET {', '.join(sets)} WHERE {where} RETURNING id",
            set_params + where_params,
        )
        return [row[0] for row in cur.fetchall()]


def _merge(items: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: dict[int, int] = defaultdict(int)
    for item_id, qty in items:
        merged[item_id] += qty
    return sorted(merged.items())


def reserve(*, wanted: Sequence[Wanted], expires_at=None) -> list[Reservation]:
    """Hold units on several stock rows at once, all or nothing.

    Raises OutOfStock (and writes nothing) if any row lacks the units. It
    runs on every order, so inside the caller's transaction it takes no
    savepoint: a short row is found by the conditional UPDATE, and the rows
    it did change are changed back (they are locked by this transaction)
    before OutOfStock is raised.
    """
    if not wanted:
        return []
    if any(w.quantity <= 0 for w in wanted):
        raise ValidationFailed(_("Quantities must be positive"))
    if not connection.in_atomic_block:
        with transaction.atomic():
            return reserve(wanted=wanted, expires_at=expires_at)
    pairs = _merge((w.stock_item_id, w.quantity) for w in wanted)
    matched = _bulk_change(pairs, reserved=+1, on_hand=0, need_available=True)
    if len(matched) != len(pairs):
        if matched:
            back = [p for p in pairs if p[0] in set(matched)]
            _bulk_change(back, reserved=-1, on_hand=0, need_available=False)
        raise OutOfStock(_("Not enough stock left for this order"))
    now = clock.now()
    return insert_objects(
        [
            Reservation(
                stock_item_id=w.stock_item_id,
                quantity=w.quantity,
                ref=w.ref,
                expires_at=expires_at,
                created_at=now,
            )
            for w in wanted
        ]
    )


_HELD = CompiledQuery(
    lambda refs: (
        Reservation.objects.select_for_update()
        .filter(ref__in=refs, status=Reservation.Status.HELD)
        .order_by("pk")
    ),
    refs=list,
)


def _held(refs: Sequence[str]) -> list[Reservation]:
    return _HELD.all(refs=list(refs))


@transaction.atomic(savepoint=False)
def commit_reservations(*, refs: Sequence[str], actor=None) -> int:
    """Turn held units into a sale: on_hand and reserved both drop, one SALE
    movement per reservation. Already committed or released ones are skipped.

    The held rows are claimed by the one statement that closes them
    (``UPDATE … WHERE status = held RETURNING``): a concurrent commit or
    release of the same reservation finds it closed and skips it."""
    now = clock.now()
    held = sorted(
        update_where(
            Reservation,
            {"status": Reservation.Status.COMMITTED, "closed_at": now},
            returning=("pk", "stock_item_id", "quantity", "ref"),
            ref__in=list(refs),
            status=Reservation.Status.HELD,
        )
    )
    if not held:
        return 0
    pairs = _merge((item, qty) for _, item, qty, _ in held)
    _bulk_change(pairs, reserved=-1, on_hand=-1, need_available=False)
    insert_objects(
        [
            StockMovement(
                stock_item_id=item,
                delta=-qty,
                kind=StockMovement.Kind.SALE,
                ref=ref,
                actor=actor,
                created_at=now,
            )
            for _, item, qty, ref in held
        ]
    )
    return len(held)


def _release(held: Sequence[Reservation]) -> int:
    if not held:
        return 0
    pairs = _merge((r.stock_item_id, r.quantity) for r in held)
    _bulk_change(pairs, reserved=-1, on_hand=0, need_available=False)
    update_where(
        Reservation,
        {"status": Reservation.Status.RELEASED, "closed_at": clock.now()},
        pk__in=[r.pk for r in held],
    )
    return len(held)


@transaction.atomic
def release_reservations(*, refs: Sequence[str]) -> int:
    """Give held units back to sale (cancelled or expired). Idempotent."""
    return _release(_held(refs))


@transaction.atomic
def restock(
    *, stock_item_id: int, quantity: int, ref: str, reason: str = "", actor=None
) -> StockMovement:
    """Put sold units back on hand (a cancelled paid order, a received return)."""
    if quantity <= 0:
        raise ValidationFailed(_("Restock quantity must be positive"))
    if quantity > MAX_STOCK:
        raise ValidationFailed(
            _("A restock is at most %(max)s units") % {"max": f"{MAX_STOCK:,}"}
        )
    changed = _bulk_change(
        [(stock_item_id, quantity)], reserved=0, on_hand=+1, need_available=False
    )
    if not changed:
        raise NotFound(_("No such stock item"))
    return StockMovement.objects.create(
        stock_item_id=stock_item_id,
        delta=quantity,
        kind=StockMovement.Kind.RESTOCK,
        ref=ref,
        reason=reason[:200],
        actor=actor,
    )


@transaction.atomic
def adjust_stock(
    *,
    stock_item: StockItem,
    delta: int,
    kind: str = StockMovement.Kind.ADJUSTMENT,
    reason: str,
    ref: str = "",
    actor=None,
) -> StockMovement:
    """Change on-hand stock by ``delta`` (goods received, count corrections).

    Refuses to go below the units already reserved for unpaid orders.
    """
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
        raise ValidationFailed(_("The adjustment must be a non-zero whole number"))
    if abs(delta) > MAX_STOCK:
        raise ValidationFailed(
            _("An adjustment is at most %(max)s units") % {"max": f"{MAX_STOCK:,}"}
        )
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why the stock changes"), field="reason")
    if len(reason.strip()) > MAX_REASON:
        raise ValidationFailed(
            _("The reason is at most %(max)s characters") % {"max": MAX_REASON},
            field="reason",
        )
    if kind not in StockMovement.Kind.values:
        raise ValidationFailed(
            _("Unknown movement kind %(kind)s") % {"kind": repr(kind)}
        )
    updated = StockItem.objects.filter(
        pk=stock_item.pk,
        on_hand__gte=F("reserved") - delta,
        on_hand__lte=MAX_STOCK - delta,
    ).update(on_hand=F("on_hand") + delta)
    if not updated:
        raise ValidationFailed(
            _("Stock cannot go below the units reserved for unpaid orders")
        )
    stock_item.refresh_from_db(fields=["on_hand", "reserved"])
    return StockMovement.objects.create(
        stock_item=stock_item,
        delta=delta,
        kind=kind,
        reason=reason.strip(),
        ref=ref,
        actor=actor,
    )


@transaction.atomic
def stock_item_for(*, sku_id: int, location: Location) -> StockItem:
    item, _created = StockItem.objects.get_or_create(sku_id=sku_id, location=location)
    return item


@transaction.atomic
def expire_reservations(*, now=None, batch: int = 1000) -> int:
    """Release held reservations whose expiry has passed (at most ``batch``).

    Only the expired rows themselves are released, never other holds that
    share their ref. Safe to run twice at once: rows are locked, and a row a
    concurrent run already released no longer matches ``status=HELD``.
    """
    now = now or clock.now()
    held = list(
        Reservation.objects.select_for_update()
        .filter(status=Reservation.Status.HELD, expires_at__lte=now)
        .order_by("pk")[:batch]
    )
    return _release(held)


def get_location(*, shop_id: int, location_id: int) -> Location:
    location = Location.objects.filter(shop_id=shop_id, pk=location_id).first()
    if location is None:
        raise NotFound(_("No such location"))
    return location


# -- locations ------------------------------------------------------------------

LOCATION_FIELDS = (
    "code",
    "name",
    "kind",
    "country",
    "region",
    "city",
    "latitude",
    "longitude",
    "is_active",
)


def _clean_location(data: dict) -> dict:
    """Validate location fields; raise ValidationFailed naming the bad one."""
    cleaned = dict(data)
    unknown = set(cleaned) - set(LOCATION_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown location fields: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    if "code" in cleaned:
        code = str(cleaned["code"] or "").strip()
        if not code or slugify(code) != code or len(code) > 40:
            raise ValidationFailed(
                _("A code is 1 to 40 lower-case letters, digits and dashes"),
                field="code",
            )
        cleaned["code"] = code
    if "name" in cleaned:
        name = str(cleaned["name"] or "").strip()
        if not name or len(name) > 120:
            raise ValidationFailed(
                _("A name of 1 to 120 characters is required"), field="name"
            )
        cleaned["name"] = name
    if "kind" in cleaned and cleaned["kind"] not in Location.Kind.values:
        raise ValidationFailed(
            _("Kind is one of %(kinds)s") % {"kinds": ", ".join(Location.Kind.values)},
            field="kind",
        )
    if "country" in cleaned:
        country = str(cleaned["country"] or "").strip().upper()
        if len(country) != 2 or not country.isascii() or not country.isalpha():
            raise ValidationFailed(
                _("Country must be a two-letter ISO code"), field="country"
            )
        cleaned["country"] = country
    for field in ("region", "city"):
        if field in cleaned:
            cleaned[field] = str(cleaned[field] or "").strip()
            if len(cleaned[field]) > 60:
                raise ValidationFailed(
                    _("%(field)s is at most 60 characters") % {"field": field},
                    field=field,
                )
    for field, bound in (("latitude", 90), ("longitude", 180)):
        if cleaned.get(field) is not None:
            try:
                value = Decimal(str(cleaned[field]))
            except InvalidOperation as exc:
                raise ValidationFailed(
                    _("%(field)s is not a number") % {"field": field}, field=field
                ) from exc
            if not value.is_finite() or not -bound <= value <= bound:
                raise ValidationFailed(
                    _("%(field)s must be between -%(bound)s and %(bound)s")
                    % {"field": field, "bound": bound},
                    field=field,
                )
            cleaned[field] = value.quantize(Decimal("0.000001"))
    return cleaned


def _check_coordinates(location: Location) -> None:
    if (location.latitude is None) != (location.longitude is None):
        raise ValidationFailed(_("Give both latitude and longitude, or neither"))


@transaction.atomic
def create_location(*, shop: Shop, actor=None, **fields) -> Location:
    """Add a warehouse, store or overseas warehouse to a shop.

    Contract: ``code`` is a slug unique within the shop (Conflict otherwise),
    ``kind`` one of ``Location.Kind``, coordinates within range and given
    together. Raises ValidationFailed, writing nothing, on bad input.
    """
    cleaned = _clean_location(fields)
    for required in ("code", "name"):
        if required not in cleaned:
            raise ValidationFailed(
                _("A location needs a %(field)s") % {"field": required},
                field=required,
            )
    location = Location(shop=shop, **cleaned)
    _check_coordinates(location)
    if Location.objects.filter(shop=shop, code=location.code).exists():
        raise Conflict(
            _("This shop already has a location %(code)s")
            % {"code": repr(location.code)}
        )
    try:
        with transaction.atomic():
            location.save()
    except IntegrityError as exc:
        raise Conflict(
            _("This shop already has a location %(code)s")
            % {"code": repr(location.code)}
        ) from exc
    return location


@transaction.atomic
def update_location(*, location: Location, actor=None, **changes) -> Location:
    """Change a location's fields (same rules as :func:`create_location`)."""
    cleaned = _clean_location(changes)
    location = Location.objects.select_for_update().get(pk=location.pk)
    for field, value in cleaned.items():
        setattr(location, field, value)
    _check_coordinates(location)
    if (
        "code" in cleaned
        and Location.objects.filter(shop_id=location.shop_id, code=location.code)
        .exclude(pk=location.pk)
        .exists()
    ):
        raise Conflict(
            _("This shop already has a location %(code)s")
            % {"code": repr(location.code)}
        )
    location.save()
    return location


# -- receiving goods --------------------------------------------------------------


def _shop_sku(shop_id: int, sku_id: int) -> Sku:
    sku = Sku.objects.filter(pk=sku_id, product__shop_id=shop_id).first()
    if sku is None:
        raise NotFound(_("No such SKU in this shop"))
    return sku


@transaction.atomic
def set_up_stock(
    *,
    shop: Shop,
    sku_id: int,
    location_id: int,
    quantity: int = 0,
    reason: str = "",
    ref: str = "",
    actor=None,
) -> StockItem:
    """Stock a shop's SKU at one of its locations, receiving ``quantity`` units.

    Creates the stock row if it is new; a positive ``quantity`` is recorded as
    a RECEIPT movement (see :func:`receive_stock`). A SKU or location of
    another shop is NotFound.
    """
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise ValidationFailed(_("Quantity must be a whole number"), field="quantity")
    if not 0 <= quantity <= MAX_STOCK:
        raise ValidationFailed(
            _("Quantity must be between 0 and %(max)s") % {"max": f"{MAX_STOCK:,}"},
            field="quantity",
        )
    sku = _shop_sku(shop.pk, sku_id)
    location = get_location(shop_id=shop.pk, location_id=location_id)
    item = stock_item_for(sku_id=sku.pk, location=location)
    if quantity:
        receive_stock(
            stock_item=item, quantity=quantity, reason=reason, ref=ref, actor=actor
        )
        item.refresh_from_db()
    return item


@transaction.atomic
def receive_stock(
    *, stock_item: StockItem, quantity: int, reason: str = "", ref: str = "", actor=None
) -> StockMovement:
    """Goods received: on-hand grows by ``quantity`` with a RECEIPT movement."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise ValidationFailed(_("Quantity must be a positive whole number"))
    return adjust_stock(
        stock_item=stock_item,
        delta=quantity,
        kind=StockMovement.Kind.RECEIPT,
        reason=(reason or "").strip() or reasons.GOODS_RECEIVED.text(),
        ref=ref,
        actor=actor,
    )


@transaction.atomic
def restock_committed(*, refs: Sequence[str], reason: str, actor=None) -> int:
    """Put back on hand every unit sold under ``refs`` (a paid order cancelled
    and refunded before shipping). Each committed reservation is restocked
    once: it is marked released as it is put back."""
    sold = list(
        Reservation.objects.select_for_update()
        .filter(ref__in=refs, status=Reservation.Status.COMMITTED)
        .order_by("pk")
    )
    if not sold:
        return 0
    pairs = _merge((r.stock_item_id, r.quantity) for r in sold)
    _bulk_change(pairs, reserved=0, on_hand=+1, need_available=False)
    now = clock.now()
    StockMovement.objects.bulk_create(
        StockMovement(
            stock_item_id=r.stock_item_id,
            delta=r.quantity,
            kind=StockMovement.Kind.RESTOCK,
            ref=r.ref,
            reason=reason[:200],
            actor=actor,
            created_at=now,
        )
        for r in sold
    )
    Reservation.objects.filter(pk__in=[r.pk for r in sold]).update(
        status=Reservation.Status.RELEASED, closed_at=now
    )
    return len(sold)


@transaction.atomic
def set_reservation_expiry(*, refs: Sequence[str], expires_at) -> int:
    """Move the expiry of held reservations (None: held until released).

    An order on hold before payment keeps its stock however long approval
    takes; when the hold ends, the new payment deadline applies again.
    """
    return Reservation.objects.filter(
        ref__in=refs, status=Reservation.Status.HELD
    ).update(expires_at=expires_at)
