"""Seller credit reads: points and level, good-rating rate, detailed scores
against the category, public rating lists, and the credit trend.

Credit points are one aggregate over the ratings that score (see
``services.credit``); :func:`recompute_credit_points` derives the same number
from the ratings alone, by the rule, for audits and tests.

The category side of the detailed scores is the same for every shop of a
category, so it is computed once per local day (``CategoryScoreDay``, by the
job ``c2c.category_scores``) and read from one row; a shop's credit page is
then one aggregate over the shop's own ratings (:func:`credit_summary`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from emporia.core.accounts import selectors as accounts
from emporia.core.catalog import selectors as catalog
from emporia.kernel import clock
from emporia.kernel.errors import NotFound

from ..credit_levels import LEVELS, CreditLevel, level_for
from ..models.credit import POINTS, CategoryScoreDay, TradeRating, Verdict

SCORE_WINDOW_DAYS = 180
SCORES = ("description", "service", "logistics")
TWO = Decimal("0.01")

_POINTS = Case(
    When(verdict=Verdict.GOOD, then=Value(1)),
    When(verdict=Verdict.BAD, then=Value(-1)),
    default=Value(0),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class ShopCredit:
    """A shop's public credit: points and level (all time, scoring ratings),
    and the counted ratings of the last ``SCORE_WINDOW_DAYS`` days by verdict
    with the good-rating rate in percent (None without ratings)."""

    shop_id: int
    points: int
    level: CreditLevel
    good: int
    neutral: int
    bad: int
    good_rate: Decimal | None

    @property
    def rated(self) -> int:
        return self.good + self.neutral + self.bad


def _since(days: int) -> dt.datetime:
    return clock.now() - dt.timedelta(days=days)


def _window() -> Q:
    return Q(counted=True, rated_at__gte=_since(SCORE_WINDOW_DAYS))


def _shop_credit(shop_id: int, row: dict) -> ShopCredit:
    points = int(row["points"] or 0)
    rated = row["good"] + row["neutral"] + row["bad"]
    rate = (
        (Decimal(100 * row["good"]) / rated).quantize(TWO, ROUND_HALF_EVEN)
        if rated
        else None
    )
    return ShopCredit(
        shop_id=shop_id,
        points=points,
        level=level_for(points),
        good=row["good"],
        neutral=row["neutral"],
        bad=row["bad"],
        good_rate=rate,
    )


def _credit_aggregates() -> dict:
    recent = _window()
    return {
        "points": Sum(_POINTS, filter=Q(scores=True)),
        "good": Count("id", filter=recent & Q(verdict=Verdict.GOOD)),
        "neutral": Count("id", filter=recent & Q(verdict=Verdict.NEUTRAL)),
        "bad": Count("id", filter=recent & Q(verdict=Verdict.BAD)),
    }


def shop_credit(shop_id: int) -> ShopCredit:
    """Points, level and recent verdict counts of a shop in one query."""
    row = TradeRating.objects.filter(shop_id=shop_id).aggregate(**_credit_aggregates())
    return _shop_credit(shop_id, row)


def recompute_credit_points(shop_id: int) -> int:
    """Credit points derived from the ratings by the rule, without the cached
    ``scores`` flag: of each buyer's counted ratings for trades of one day,
    the first given (``rated_at``, then id) scores."""
    first: dict[tuple[int, dt.date], tuple] = {}
    rows = TradeRating.objects.filter(shop_id=shop_id, counted=True).values_list(
        "buyer_id", "trade_day", "rated_at", "id", "verdict"
    )
    for buyer_id, day, rated_at, pk, verdict in rows:
        key = (buyer_id, day)
        if key not in first or (rated_at, pk) < first[key][:2]:
            first[key] = (rated_at, pk, verdict)
    return sum(POINTS[verdict] for _, _, verdict in first.values())


@dataclass(frozen=True)
class DetailedScore:
    """One detailed score (description, service or logistics): the shop's
    average over counted ratings of the window, its category's, and how far
    the shop is above (+) or below (−) the category in percent."""

    name: str
    shop: Decimal | None
    category: Decimal | None
    diff_percent: Decimal | None

    @property
    def below(self) -> bool:
        return self.diff_percent is not None and self.diff_percent < 0


@dataclass(frozen=True)
class DetailedScores:
    shop_id: int
    category_id: int | None
    ratings: int
    scores: list[DetailedScore]


def _mean(total, n: int) -> Decimal | None:
    return (Decimal(total) / n).quantize(TWO, ROUND_HALF_EVEN) if n else None


def _averages(qs: QuerySet[TradeRating]) -> tuple[int, dict[str, Decimal | None]]:
    row = qs.aggregate(n=Count("id"), **{name: Sum(f"{name}_score") for name in SCORES})
    n = row["n"]
    return n, {name: _mean(row[name], n) for name in SCORES}


def shop_main_category(shop_id: int) -> int | None:
    """The shop's main (top-level) category: the one most of its counted
    ratings of the window were for; without ratings, the one most of its
    listed products sit in."""
    top = (
        TradeRating.objects.filter(
            shop_id=shop_id,
            counted=True,
            rated_at__gte=_since(SCORE_WINDOW_DAYS),
            category_id__isnull=False,
        )
        .values("category_id")
        .annotate(n=Count("id"))
        .order_by("-n", "category_id")
        .first()
    )
    if top:
        return top["category_id"]
    return catalog.shop_top_category_id(shop_id)


def local_day() -> dt.date:
    """Today in the platform's time zone: the day of ``CategoryScoreDay``."""
    return timezone.localdate(clock.now())


def category_totals() -> QuerySet:
    """Per top-level category: counted ratings of the window and the sums of
    their three scores (``category_id, n, description, service,
    logistics``) — one grouped scan, for the daily job."""
    return (
        TradeRating.objects.filter(_window(), category_id__isnull=False)
        .values("category_id")
        .annotate(n=Count("id"), **{name: Sum(f"{name}_score") for name in SCORES})
        .order_by("category_id")
    )


def category_averages(category_id: int) -> dict[str, Decimal | None]:
    """The category's average detailed scores over the window: from today's
    ``CategoryScoreDay`` row (or yesterday's, until the job has run today),
    else computed from the ratings now. One query when the row is there."""
    today = local_day()
    row = (
        CategoryScoreDay.objects.filter(
            category_id=category_id, day__in=[today, today - dt.timedelta(days=1)]
        )
        .order_by("-day")
        .first()
    )
    if row is None:
        return _averages(
            TradeRating.objects.filter(_window(), category_id=category_id)
        )[1]
    return {name: _mean(getattr(row, f"{name}_sum"), row.ratings) for name in SCORES}


def _detailed(shop_id: int, n: int, mine: dict[str, Decimal | None]) -> DetailedScores:
    category_id = shop_main_category(shop_id)
    peers = (
        category_averages(category_id)
        if category_id is not None
        else dict.fromkeys(SCORES)
    )
    out = []
    for name in SCORES:
        shop, cat = mine[name], peers[name]
        diff = (
            ((shop - cat) * 100 / cat).quantize(TWO, ROUND_HALF_EVEN)
            if shop is not None and cat
            else None
        )
        out.append(DetailedScore(name, shop, cat, diff))
    return DetailedScores(shop_id, category_id, n, out)


def detailed_scores(shop_id: int) -> DetailedScores:
    """Rolling ``SCORE_WINDOW_DAYS``-day averages of the three detailed scores
    of a shop, each compared with its main category's average
    (:func:`category_averages`). Three queries when the category's daily
    row is there."""
    n, mine = _averages(TradeRating.objects.filter(_window(), shop_id=shop_id))
    return _detailed(shop_id, n, mine)


@dataclass(frozen=True)
class CreditSummary:
    credit: ShopCredit
    scores: DetailedScores


def credit_summary(shop_id: int) -> CreditSummary:
    """A shop's public credit and detailed scores: one aggregate over the
    shop's ratings (points, verdict counts, score sums), its main category,
    and the category's daily row — three queries, none of them scanning
    other shops' ratings."""
    window = _window()
    row = TradeRating.objects.filter(shop_id=shop_id).aggregate(
        **_credit_aggregates(),
        n=Count("id", filter=window),
        **{name: Sum(f"{name}_score", filter=window) for name in SCORES},
    )
    n = row["n"]
    mine = {name: _mean(row[name], n) for name in SCORES}
    return CreditSummary(_shop_credit(shop_id, row), _detailed(shop_id, n, mine))


def public_ratings(
    shop_id: int, *, verdict: str | None = None
) -> QuerySet[TradeRating]:
    """A shop's counted ratings, newest first, with their replies (ratings
    excluded from credit by governance are not shown)."""
    qs = TradeRating.objects.filter(shop_id=shop_id, counted=True).select_related(
        "buyer", "order"
    )
    if verdict in Verdict.values:
        qs = qs.filter(verdict=verdict)
    return qs.order_by("-rated_at", "-id")


def rating_for_order(*, user, order_id: int) -> TradeRating | None:
    """The rating of an order, for its buyer or the shop's staff (None: not
    rated yet). NotFound for anyone else, rated or not."""
    rating = (
        TradeRating.objects.filter(order_id=order_id)
        .select_related("buyer", "order")
        .first()
    )
    if rating is None:
        return None
    if rating.buyer_id == user.pk or accounts.is_shop_staff(
        user=user, shop_id=rating.shop_id
    ):
        return rating
    raise NotFound(_("No such rating"))


def shop_ratings_for_staff(
    *, user, shop_id: int, unreplied: bool = False
) -> QuerySet[TradeRating]:
    """All of a shop's ratings (excluded ones too) for its staff; NotFound
    for anyone else."""
    shop = accounts.staff_shop(user=user, shop_id=shop_id)
    qs = TradeRating.objects.filter(shop_id=shop.pk).select_related("buyer", "order")
    if unreplied:
        qs = qs.filter(replied_at__isnull=True)
    return qs.order_by("-rated_at", "-id")


def credit_trend(shop_id: int, *, days: int = 30) -> list[tuple[dt.date, int]]:
    """The shop's credit points at the end of each of the last ``days``
    calendar days (UTC), oldest first: points before the window plus the
    scoring ratings given each day. Two queries."""
    days = max(1, min(int(days), 366))
    today = clock.now().astimezone(dt.UTC).date()
    start = today - dt.timedelta(days=days - 1)
    since = dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC)
    scoring = TradeRating.objects.filter(shop_id=shop_id, scores=True)
    before = scoring.filter(rated_at__lt=since).aggregate(p=Sum(_POINTS))["p"] or 0
    per_day = dict(
        scoring.filter(rated_at__gte=since)
        .annotate(day=TruncDate("rated_at", tzinfo=dt.UTC))
        .values_list("day")
        .annotate(p=Sum(_POINTS))
        .order_by()
    )
    out, total = [], int(before)
    for i in range(days):
        day = start + dt.timedelta(days=i)
        total += int(per_day.get(day, 0) or 0)
        out.append((day, total))
    return out


def level_table() -> tuple[CreditLevel, ...]:
    """Every published level, from "no level" up to five golden crowns."""
    return LEVELS
