"""The governance read model: what the signals need, loaded from the core in
a fixed number of bulk queries per batch of trades.

This module is the one place governance reads core tables directly (values()
queries, never writes): scoring 100,000 trades through per-object selectors
would cost a query per trade. It reads orders and their history, shop
members, accounts, the client traces the core records (``LoginRecord``,
``Checkout.client_ip/device_id``, ``Payment.payer_ref``), address books and
reviews.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Min

from emporia.core.accounts.models import Address, LoginRecord, ShopMember, User
from emporia.core.checkout.models import Checkout
from emporia.core.orders.models import Order, OrderStatusChange
from emporia.core.payments.models import Payment
from emporia.core.reviews.models import ProductReview, ShopReview

from .detectors import Account, ShopTimeline, Trace, Trade
from .rings import RingRules, Rings, find_rings

CHUNK = 5000  # ids per IN (...) list: well under SQLite's 32,766 variables
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def address_key(snapshot: dict) -> tuple[str, str]:
    """A normalized key of an address (case, spaces and punctuation ignored)
    and a short text to show."""
    parts = [
        str(snapshot.get(k) or "")
        for k in ("country", "province", "city", "district", "line1")
    ]
    key = _NOT_WORD.sub("", "|".join(parts).lower())
    if not str(snapshot.get("line1") or "").strip():
        return "", ""
    text = " ".join(
        p for p in (snapshot.get("city"), snapshot.get("line1")) if p
    ).strip()
    return key, text[:80]


@dataclass
class Facts:
    trades: dict[int, Trade] = field(default_factory=dict)
    accounts: dict[int, Account] = field(default_factory=dict)
    people: dict[int, dict[int, str]] = field(default_factory=dict)  # shop → roles
    trade_payer: dict[int, Trace] = field(default_factory=dict)
    trade_address: dict[int, Trace] = field(default_factory=dict)


def _values(model, ids: Sequence[int], key: str, *fields, **filters):
    for part in chunks(ids):
        yield from model.objects.filter(**{f"{key}__in": part}, **filters).values_list(
            *fields
        )


def load(order_ids: Sequence[int]) -> Facts:
    """Trades, their shops' people and every account involved, with traces."""
    facts = Facts()
    rows = list(
        _values(
            Order,
            order_ids,
            "pk",
            "id",
            "number",
            "buyer_id",
            "shop_id",
            "items_minor",
            "currency",
            "placed_at",
            "completed_at",
            "shipping_address",
        )
    )
    ids = [r[0] for r in rows]
    shipped = dict(
        _values(
            OrderStatusChange,
            ids,
            "order_id",
            "order_id",
            "at",
            to_status="shipped",
        )
    )
    five = {}
    for order_id, at in _values(
        ShopReview, ids, "order_id", "order_id", "created_at", rating=5
    ):
        five[order_id] = min(at, five.get(order_id, at))
    for order_id, at in _values(
        ProductReview,
        ids,
        "order_line__order_id",
        "order_line__order_id",
        "created_at",
        rating=5,
    ):
        five[order_id] = min(at, five.get(order_id, at))
    for oid, number, buyer, shop, total, cur, placed, completed, address in rows:
        key, text = address_key(address or {})
        facts.trades[oid] = Trade(
            order_id=oid,
            number=number,
            buyer_id=buyer,
            shop_id=shop,
            value_minor=total,
            currency=cur,
            placed_at=placed,
            shipped_at=shipped.get(oid),
            completed_at=completed,
            address_key=key,
            address_text=text,
            five_star_at=five.get(oid),
        )
        if key:
            facts.trade_address[oid] = Trace(key, placed, "order")
    shops = sorted({t.shop_id for t in facts.trades.values()})
    for shop_id, user_id, role in _values(
        ShopMember, shops, "shop_id", "shop_id", "user_id", "role"
    ):
        facts.people.setdefault(shop_id, {})[user_id] = role
    sellers = sorted({u for roles in facts.people.values() for u in roles})
    users = sorted({t.buyer_id for t in facts.trades.values()} | set(sellers))
    for uid, name, joined in _values(
        User, users, "pk", "id", "display_name", "date_joined"
    ):
        facts.accounts[uid] = Account(uid, f"{name} (#{uid})", joined)
    _traces(facts, users, sellers)
    for order_id, ref, at in _values(
        Payment.orders.through,
        ids,
        "order_id",
        "order_id",
        "payment__payer_ref",
        "payment__succeeded_at",
        payment__status=Payment.Status.SUCCEEDED,
    ):
        if ref and at:
            facts.trade_payer[order_id] = Trace(ref, at, "payment")
    return facts


def _traces(facts: Facts, users: list[int], sellers: list[int]) -> None:
    acc = facts.accounts
    for uid, device, ip, at in _values(
        LoginRecord, users, "user_id", "user_id", "device_id", "ip", "at"
    ):
        acc[uid].see("devices", Trace(device, at, "login"))
        acc[uid].see("ips", Trace(ip or "", at, "login"))
    for uid, device, ip, at in _values(
        Checkout, users, "buyer_id", "buyer_id", "device_id", "client_ip", "created_at"
    ):
        acc[uid].see("devices", Trace(device, at, "checkout"))
        acc[uid].see("ips", Trace(ip or "", at, "checkout"))
    for uid, ref, at in _values(
        Payment,
        users,
        "buyer_id",
        "buyer_id",
        "payer_ref",
        "succeeded_at",
        status=Payment.Status.SUCCEEDED,
    ):
        if ref and at:
            acc[uid].see("payers", Trace(ref, at, "payment"))
    # Addresses matter on the seller's side only: the trade ships to one.
    for uid, *parts, at in _values(
        Address,
        sellers,
        "user_id",
        "user_id",
        "country",
        "province",
        "city",
        "district",
        "line1",
        "created_at",
    ):
        snapshot = dict(
            zip(
                ("country", "province", "city", "district", "line1"), parts, strict=True
            )
        )
        key, _ = address_key(snapshot)
        acc[uid].see("addresses", Trace(key, at, "address book"))
    for uid, address, at in _values(
        Order, sellers, "buyer_id", "buyer_id", "shipping_address", "placed_at"
    ):
        key, _ = address_key(address or {})
        acc[uid].see("addresses", Trace(key, at, "own order"))


def timelines(shop_ids: Sequence[int], since: dt.datetime) -> dict[int, ShopTimeline]:
    """Each shop's orders and five-star reviews since ``since``, with the age
    of the account behind each, sorted by time."""
    out = {shop_id: ShopTimeline() for shop_id in shop_ids}
    for shop_id, at, joined in _values(
        Order,
        shop_ids,
        "shop_id",
        "shop_id",
        "placed_at",
        "buyer__date_joined",
        placed_at__gte=since,
    ):
        out[shop_id].orders.append((at, joined))
    for shop_id, at, joined in _values(
        ShopReview,
        shop_ids,
        "shop_id",
        "shop_id",
        "created_at",
        "buyer__date_joined",
        rating=5,
        created_at__gte=since,
    ):
        out[shop_id].five_stars.append((at, joined))
    for timeline in out.values():
        timeline.sort()
    return out


def trade_graph(since: dt.datetime, rules: RingRules) -> tuple[Rings, dict[int, int]]:
    """The rings among paid trades since ``since`` (see ``rings``), and each
    shop's owner."""
    owners = dict(
        ShopMember.objects.filter(role=ShopMember.Role.OWNER)
        .values("shop_id")
        .annotate(owner=Min("user_id"))
        .values_list("shop_id", "owner")
    )
    edges: dict[tuple[int, int], int] = defaultdict(int)
    purchases: dict[int, int] = defaultdict(int)
    for buyer, shop, n in (
        Order.objects.filter(placed_at__gte=since, paid_at__isnull=False)
        .values("buyer_id", "shop_id")
        .annotate(n=Count("id"))
        .values_list("buyer_id", "shop_id", "n")
        .order_by()
    ):
        purchases[buyer] += n
        owner = owners.get(shop)
        if owner is not None:
            edges[(buyer, owner)] += n
    return find_rings(edges, purchases, rules), owners


def orders_among(members: set[int], owners: dict[int, int], since) -> list[int]:
    """Paid orders since ``since`` whose buyer and shop owner are both in ``members``."""
    shops = [s for s, o in owners.items() if o in members]
    if not members or not shops:
        return []
    out = []
    for part in chunks(sorted(members)):
        out.extend(
            Order.objects.filter(
                buyer_id__in=part,
                shop_id__in=shops,
                placed_at__gte=since,
                paid_at__isnull=False,
            ).values_list("id", flat=True)
        )
    return out


def order_ids_since(since: dt.datetime) -> list[int]:
    return list(
        Order.objects.filter(placed_at__gte=since)
        .order_by("id")
        .values_list("id", flat=True)
    )


def orders_of_shop_review(review_id: int) -> list[int]:
    return list(
        ShopReview.objects.filter(pk=review_id).values_list("order_id", flat=True)
    )


def orders_of_product_review(review_id: int) -> list[int]:
    return list(
        ProductReview.objects.filter(pk=review_id).values_list(
            "order_line__order_id", flat=True
        )
    )
