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

from django.db import connection, transaction
from django.db.models import F

from emporia.kernel import clock
from emporia.kernel.errors import NotFound, OutOfStock, ValidationFailed

from .models import Location, Reservation, StockItem, StockMovement

STOCK_TABLE = StockItem._meta.db_table
MAX_STOCK = 10**9


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
) -> int:
    """One UPDATE over many stock rows: reserved += r*q, on_hand += h*q."""
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
            f"UPDATE {STOCK_TABLE} SET {', '.join(sets)} WHERE {where}",
            set_params + where_params,
        )
        return cur.rowcount


def _merge(items: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: dict[int, int] = defaultdict(int)
    for item_id, qty in items:
        merged[item_id] += qty
    return sorted(merged.items())


@transaction.atomic
def reserve(*, wanted: Sequence[Wanted], expires_at=None) -> list[Reservation]:
    """Hold units on several stock rows at once, all or nothing.

    Raises OutOfStock (and writes nothing) if any row lacks the units.
    """
    if not wanted:
        return []
    if any(w.quantity <= 0 for w in wanted):
        raise ValidationFailed("Quantities must be positive")
    pairs = _merge((w.stock_item_id, w.quantity) for w in wanted)
    matched = _bulk_change(pairs, reserved=+1, on_hand=0, need_available=True)
    if matched != len(pairs):
        raise OutOfStock("Not enough stock left for this order")
    now = clock.now()
    return Reservation.objects.bulk_create(
        Reservation(
            stock_item_id=w.stock_item_id,
            quantity=w.quantity,
            ref=w.ref,
            expires_at=expires_at,
            created_at=now,
        )
        for w in wanted
    )


def _held(refs: Sequence[str]) -> list[Reservation]:
    return list(
        Reservation.objects.select_for_update()
        .filter(ref__in=refs, status=Reservation.Status.HELD)
        .order_by("pk")
    )


@transaction.atomic
def commit_reservations(*, refs: Sequence[str], actor=None) -> int:
    """Turn held units into a sale: on_hand and reserved both drop, one SALE
    movement per reservation. Already committed or released ones are skipped."""
    held = _held(refs)
    if not held:
        return 0
    pairs = _merge((r.stock_item_id, r.quantity) for r in held)
    _bulk_change(pairs, reserved=-1, on_hand=-1, need_available=False)
    now = clock.now()
    StockMovement.objects.bulk_create(
        StockMovement(
            stock_item_id=r.stock_item_id,
            delta=-r.quantity,
            kind=StockMovement.Kind.SALE,
            ref=r.ref,
            actor=actor,
            created_at=now,
        )
        for r in held
    )
    Reservation.objects.filter(pk__in=[r.pk for r in held]).update(
        status=Reservation.Status.COMMITTED, closed_at=now
    )
    return len(held)


@transaction.atomic
def release_reservations(*, refs: Sequence[str]) -> int:
    """Give held units back to sale (cancelled or expired). Idempotent."""
    held = _held(refs)
    if not held:
        return 0
    pairs = _merge((r.stock_item_id, r.quantity) for r in held)
    _bulk_change(pairs, reserved=-1, on_hand=0, need_available=False)
    Reservation.objects.filter(pk__in=[r.pk for r in held]).update(
        status=Reservation.Status.RELEASED, closed_at=clock.now()
    )
    return len(held)


@transaction.atomic
def restock(
    *, stock_item_id: int, quantity: int, ref: str, reason: str = "", actor=None
) -> StockMovement:
    """Put sold units back on hand (a cancelled paid order, a received return)."""
    if quantity <= 0:
        raise ValidationFailed("Restock quantity must be positive")
    _bulk_change(
        [(stock_item_id, quantity)], reserved=0, on_hand=+1, need_available=False
    )
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
    actor=None,
) -> StockMovement:
    """Change on-hand stock by ``delta`` (goods received, count corrections).

    Refuses to go below the units already reserved for unpaid orders.
    """
    if not isinstance(delta, int) or delta == 0:
        raise ValidationFailed("The adjustment must be a non-zero whole number")
    if abs(delta) > MAX_STOCK:
        raise ValidationFailed(f"An adjustment is at most {MAX_STOCK:,} units")
    if not (reason or "").strip():
        raise ValidationFailed("Say why the stock changes", field="reason")
    if kind not in StockMovement.Kind.values:
        raise ValidationFailed(f"Unknown movement kind {kind!r}")
    updated = StockItem.objects.filter(
        pk=stock_item.pk,
        on_hand__gte=F("reserved") - delta,
        on_hand__lte=MAX_STOCK - delta,
    ).update(on_hand=F("on_hand") + delta)
    if not updated:
        raise ValidationFailed(
            "Stock cannot go below the units reserved for unpaid orders"
        )
    stock_item.refresh_from_db(fields=["on_hand", "reserved"])
    return StockMovement.objects.create(
        stock_item=stock_item,
        delta=delta,
        kind=kind,
        reason=reason.strip()[:200],
        actor=actor,
    )


@transaction.atomic
def stock_item_for(*, sku_id: int, location: Location) -> StockItem:
    item, _ = StockItem.objects.get_or_create(sku_id=sku_id, location=location)
    return item


@transaction.atomic
def expire_reservations(*, now=None) -> int:
    """Release every held reservation whose expiry has passed."""
    now = now or clock.now()
    refs = list(
        Reservation.objects.filter(status=Reservation.Status.HELD, expires_at__lte=now)
        .values_list("ref", flat=True)
        .distinct()[:1000]
    )
    return release_reservations(refs=refs) if refs else 0


def get_location(*, shop_id: int, location_id: int) -> Location:
    location = Location.objects.filter(shop_id=shop_id, pk=location_id).first()
    if location is None:
        raise NotFound("No such location")
    return location


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
