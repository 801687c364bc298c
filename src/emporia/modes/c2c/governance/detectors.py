"""The fake-trade signals, each with its evidence, and how they combine.

Pure Python over the facts ``facts.load`` gathers: no database here, so each
signal has a worked example in the tests. A signal that fires yields an
``Evidence`` (its code, weight and a sentence with its parameters); the
trade's score combines the weights as independent pieces of evidence
(noisy-OR)::

    score = round(100 × (1 − Π (1 − weight_i / 100)))

so one strong signal (a shared payment account, 60) flags a trade on its own,
two weak ones (a shared IP, 20, and a review burst, 20) give 36, and the score
never passes 100. Weights reflect how rarely honest trades show the signal:
an IP is shared by whole campuses, a card is not.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

WEIGHTS: dict[str, int] = {
    "self_trade": 90,
    "shared_payer": 60,
    "ring": 60,
    "shared_device": 50,
    "shared_address": 40,
    "token_fast_confirm": 35,
    "order_burst": 30,
    "shared_ip": 20,
    "review_burst": 20,
}

# Sentences with %(name)s parameters; the web translates them.
TEMPLATES: dict[str, str] = {
    "self_trade": gettext_noop(
        "The buyer %(buyer)s works for the shop (%(role)s): the shop bought from itself."
    ),
    "shared_payer": gettext_noop(
        "Buyer %(buyer)s paid with account %(value)s, which seller %(seller)s "
        "also paid with (first on %(seller_at)s)."
    ),
    "shared_device": gettext_noop(
        "Buyer %(buyer)s and seller %(seller)s used the same device %(value)s "
        "(buyer: %(buyer_source)s on %(buyer_at)s; seller: %(seller_source)s on "
        "%(seller_at)s)."
    ),
    "shared_ip": gettext_noop(
        "Buyer %(buyer)s and seller %(seller)s came from the same IP address "
        "%(value)s (buyer: %(buyer_source)s on %(buyer_at)s; seller: "
        "%(seller_source)s on %(seller_at)s)."
    ),
    "shared_address": gettext_noop(
        "The order ships to %(value)s, an address seller %(seller)s uses "
        "(%(seller_source)s, %(seller_at)s)."
    ),
    "ring": gettext_noop(
        "Buyer and seller belong to a ring of %(size)s accounts trading among "
        "themselves: %(orders)s orders inside the ring, %(share)s%% of the ring's "
        "purchases; cycle %(cycle)s."
    ),
    "order_burst": gettext_noop(
        "Burst of orders from new accounts: %(count)s orders in the 24 hours "
        "before this one came from accounts younger than %(days)s days, against "
        "a usual %(baseline)s orders a day; this buyer joined %(age)s before "
        "ordering."
    ),
    "review_burst": gettext_noop(
        "Burst of five-star reviews from new accounts: this trade's five-star "
        "review is one of %(count)s the shop got from accounts younger than "
        "%(days)s days within 24 hours."
    ),
    "token_fast_confirm": gettext_noop(
        "Near-zero value (%(value)s of goods) and receipt confirmed %(minutes)s minutes "
        "after shipping."
    ),
}


@dataclass(frozen=True)
class Thresholds:
    """The knobs of the signals (``EMPORIA["C2C_GOVERNANCE"]`` overrides them)."""

    new_account_days: int = 7
    burst_window_hours: int = 24
    burst_min_count: int = 5
    burst_baseline_days: int = 28
    burst_factor: float = 3.0
    token_value_minor: int = 100  # goods worth ¥1.00 or less are "near zero"
    fast_confirm_minutes: int = 30


@dataclass(frozen=True)
class Trace:
    """One use of a device, IP, payment account or address by an account."""

    value: str
    at: dt.datetime
    source: str  # "login", "checkout", "payment", "address book", "order"


@dataclass
class Account:
    id: int
    name: str
    joined: dt.datetime
    devices: dict[str, Trace] = field(default_factory=dict)
    ips: dict[str, Trace] = field(default_factory=dict)
    payers: dict[str, Trace] = field(default_factory=dict)
    addresses: dict[str, Trace] = field(default_factory=dict)

    def see(self, kind: str, trace: Trace) -> None:
        """Remember the first use of a value (the earliest is the evidence)."""
        if not trace.value:
            return
        bucket = getattr(self, kind)
        known = bucket.get(trace.value)
        if known is None or trace.at < known.at:
            bucket[trace.value] = trace


@dataclass(frozen=True)
class Trade:
    """What scoring knows of one order."""

    order_id: int
    number: str
    buyer_id: int
    shop_id: int
    value_minor: int  # the goods (items), shipping aside
    currency: str
    placed_at: dt.datetime
    shipped_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None
    address_key: str = ""
    address_text: str = ""
    five_star_at: dt.datetime | None = None  # when its five-star review came


@dataclass(frozen=True)
class Evidence:
    signal: str
    weight: int
    params: dict

    @property
    def text(self) -> str:
        return TEMPLATES[self.signal] % self.params

    def as_dict(self) -> dict:
        return {
            "signal": self.signal,
            "weight": self.weight,
            "params": self.params,
            "text": self.text,
        }


def combine(weights: Iterable[int]) -> int:
    """Noisy-OR of the weights, 0–100 (see the module docstring)."""
    keep = 1.0
    for w in weights:
        keep *= 1 - min(max(w, 0), 100) / 100
    return round(100 * (1 - keep))


def short(value: str) -> str:
    """Enough of an id to recognise it, not to copy it."""
    return value if len(value) <= 12 else value[:10] + "…"


def when(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M")


def human_age(delta: dt.timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} d"


# --- account-sharing signals ----------------------------------------------------


def self_trade(trade: Trade, buyer: Account, roles: dict[int, str]) -> list[Evidence]:
    """The buyer is the shop's owner or staff (``roles``: user id → role)."""
    role = roles.get(buyer.id)
    if role is None:
        return []
    return [
        Evidence(
            "self_trade", WEIGHTS["self_trade"], {"buyer": buyer.name, "role": role}
        )
    ]


def shared(
    kind: str,
    signal: str,
    buyer: Account,
    sellers: list[Account],
    *,
    mine: dict[str, Trace] | None = None,
    show=short,
) -> list[Evidence]:
    """One Evidence when a value of ``kind`` the buyer used (or, with ``mine``,
    the trade itself used) was also used by one of the shop's people. The
    earliest use by the seller is cited."""
    used = mine if mine is not None else getattr(buyer, kind)
    best = None
    for seller in sellers:
        if seller.id == buyer.id:
            continue
        theirs = getattr(seller, kind)
        for value, trace in used.items():
            other = theirs.get(value)
            if other is not None and (best is None or other.at < best[2].at):
                best = (seller, trace, other)
    if best is None:
        return []
    seller, trace, other = best
    return [
        Evidence(
            signal,
            WEIGHTS[signal],
            {
                "buyer": buyer.name,
                "seller": seller.name,
                "value": show(trace.value),
                "buyer_source": trace.source,
                "buyer_at": when(trace.at),
                "seller_source": other.source,
                "seller_at": when(other.at),
            },
        )
    ]


# --- bursts ------------------------------------------------------------------------


@dataclass
class ShopTimeline:
    """A shop's orders (placed_at, buyer joined) and five-star reviews (at,
    reviewer joined), sorted by time, for the burst signals."""

    orders: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    five_stars: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)

    def sort(self) -> None:
        self.orders.sort()
        self.five_stars.sort()


def _count_new(
    rows: list[tuple[dt.datetime, dt.datetime]],
    start: dt.datetime,
    end: dt.datetime,
    young: dt.timedelta,
) -> int:
    lo = _bisect(rows, start)
    hi = _bisect(rows, end, right=True)
    return sum(1 for at, joined in rows[lo:hi] if at - joined < young)


def _bisect(rows, at: dt.datetime, *, right: bool = False) -> int:
    lo, hi = 0, len(rows)
    while lo < hi:
        mid = (lo + hi) // 2
        if rows[mid][0] < at or (right and rows[mid][0] == at):
            lo = mid + 1
        else:
            hi = mid
    return lo


def order_burst(
    trade: Trade, buyer: Account, timeline: ShopTimeline, t: Thresholds
) -> list[Evidence]:
    """A new account's order inside a burst of new-account orders: within the
    window before it, at least ``burst_min_count`` orders from accounts younger
    than ``new_account_days``, and ``burst_factor`` times the shop's usual
    daily orders over the ``burst_baseline_days`` before the window."""
    young = dt.timedelta(days=t.new_account_days)
    if trade.placed_at - buyer.joined >= young:
        return []
    window = dt.timedelta(hours=t.burst_window_hours)
    start = trade.placed_at - window
    count = _count_new(timeline.orders, start, trade.placed_at, young)
    base_start = start - dt.timedelta(days=t.burst_baseline_days)
    before = _bisect(timeline.orders, start) - _bisect(timeline.orders, base_start)
    baseline = before / t.burst_baseline_days
    if count < t.burst_min_count or count < t.burst_factor * max(baseline, 1.0):
        return []
    return [
        Evidence(
            "order_burst",
            WEIGHTS["order_burst"],
            {
                "count": count,
                "days": t.new_account_days,
                "baseline": f"{baseline:.1f}",
                "age": human_age(trade.placed_at - buyer.joined),
            },
        )
    ]


def review_burst(
    trade: Trade, buyer: Account, timeline: ShopTimeline, t: Thresholds
) -> list[Evidence]:
    """The trade's five-star review came from a new account, within a window
    holding at least ``burst_min_count`` such reviews for the shop."""
    if trade.five_star_at is None:
        return []
    young = dt.timedelta(days=t.new_account_days)
    if trade.five_star_at - buyer.joined >= young:
        return []
    half = dt.timedelta(hours=t.burst_window_hours) / 2
    count = _count_new(
        timeline.five_stars, trade.five_star_at - half, trade.five_star_at + half, young
    )
    if count < t.burst_min_count:
        return []
    return [
        Evidence(
            "review_burst",
            WEIGHTS["review_burst"],
            {"count": count, "days": t.new_account_days},
        )
    ]


def token_fast_confirm(trade: Trade, t: Thresholds, value: str) -> list[Evidence]:
    """A near-zero total whose receipt was confirmed within minutes of shipping
    (a real parcel takes days)."""
    if (
        trade.value_minor > t.token_value_minor
        or trade.shipped_at is None
        or trade.completed_at is None
    ):
        return []
    minutes = (trade.completed_at - trade.shipped_at).total_seconds() / 60
    if minutes > t.fast_confirm_minutes:
        return []
    return [
        Evidence(
            "token_fast_confirm",
            WEIGHTS["token_fast_confirm"],
            {"value": value, "minutes": math.floor(minutes)},
        )
    ]
