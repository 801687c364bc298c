"""Trade rating writes and the credit exclusion governance calls.

Rules (see docs/modes/c2c-credit.md):

- Only the order's buyer rates, once per order (a one-to-one in the
  database), only a completed order, within ``RATING_WINDOW_DAYS`` of
  completion.
- The buyer may amend a neutral or bad rating once, only to a better verdict,
  within ``AMEND_WINDOW_DAYS`` of rating; good ratings and the detailed
  scores are final. After that the rating is frozen.
- The seller (shop staff) replies once, within ``REPLY_WINDOW_DAYS``.
- Credit: good +1, neutral 0, bad −1. Of one buyer's ratings of one shop for
  trades placed on the same day, only the first given (earliest ``rated_at``,
  then lowest id) among those still counted earns points. ``scores`` caches
  that choice; a partial unique index keeps at most one per group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from emporia.core.accounts import selectors as accounts
from emporia.core.catalog import selectors as catalog
from emporia.core.orders import selectors as orders
from emporia.core.orders.states import OrderStatus
from emporia.core.reviews import services as reviews
from emporia.infra.outbox.services import emit
from emporia.kernel import clock
from emporia.kernel.errors import Conflict, NotFound, ValidationFailed

from .. import reasons
from ..events import credit as events
from ..models.credit import (
    POINTS,
    RANK,
    CreditExclusion,
    TradeRating,
    TradeRatingChange,
    Verdict,
)

RATING_WINDOW_DAYS = 15
AMEND_WINDOW_DAYS = 30
REPLY_WINDOW_DAYS = 30
MAX_TEXT = 500
RATEABLE = frozenset({OrderStatus.COMPLETED, OrderStatus.PARTIALLY_REFUNDED})
Kind = TradeRatingChange.Kind


@dataclass(frozen=True)
class ProductReviewIn:
    """A product review left together with the trade rating (core reviews)."""

    order_line_id: int
    rating: int
    text: str = ""


def trade_day(placed_at: dt.datetime) -> dt.date:
    """The calendar day (UTC, as the dashboards) an order was placed on."""
    return placed_at.astimezone(dt.UTC).date()


def _verdict(value) -> str:
    if value not in Verdict.values:
        raise ValidationFailed(
            _("A rating is good, neutral or bad"),
            field="verdict",
            allowed=Verdict.values,
        )
    return value


def _score(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationFailed(_("A score is a whole number from 1 to 5"), field=field)
    return value


def _text(value, field: str = "text", *, required: bool = False) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationFailed(
            _("At most %(max)s characters") % {"max": MAX_TEXT}, field=field
        )
    if required and not text:
        raise ValidationFailed(_("Please write something"), field=field)
    return text


def _log(rating: TradeRating, kind: str, *, actor=None, old="", new="", reason=""):
    TradeRatingChange.objects.create(
        rating=rating,
        kind=kind,
        old_verdict=old,
        new_verdict=new,
        actor=actor,
        reason=reason[:255],
    )


def _rescore_group(*, shop_id: int, buyer_id: int, day: dt.date) -> TradeRating | None:
    """Make the first-given counted rating of (shop, buyer, day) the one that
    scores and no other; return it (None if none is counted). Rows are
    locked in pk order. Under a race on PostgreSQL the partial unique index
    lets one transaction win; the loser's rating simply does not score."""
    group = list(
        TradeRating.objects.select_for_update()
        .filter(shop_id=shop_id, buyer_id=buyer_id, trade_day=day)
        .order_by("pk")
    )
    counted = sorted((r for r in group if r.counted), key=lambda r: (r.rated_at, r.pk))
    winner = counted[0] if counted else None
    losers = [r.pk for r in group if r.scores and r is not winner]
    if losers:
        TradeRating.objects.filter(pk__in=losers).update(scores=False)
    if winner is not None and not winner.scores:
        try:
            with transaction.atomic():
                TradeRating.objects.filter(pk=winner.pk).update(scores=True)
        except IntegrityError:
            return None
        winner.scores = True
    return winner


@transaction.atomic
def rate_trade(
    *,
    buyer,
    order_id: int,
    verdict: str,
    description: int,
    service: int,
    logistics: int,
    text: str = "",
    product_reviews: Sequence[ProductReviewIn] = (),
) -> TradeRating:
    """Rate a completed trade — its buyer only (anyone else: NotFound), once
    (Conflict ``already_rated``), within ``RATING_WINDOW_DAYS`` of completion
    (Conflict ``rating_window_closed``). Product reviews given with it go
    through ``core.reviews`` in the same transaction: if one fails, nothing
    is saved. Emits ``c2c.trade_rated``."""
    verdict = _verdict(verdict)
    scores = {
        "description_score": _score(description, "description"),
        "service_score": _score(service, "service"),
        "logistics_score": _score(logistics, "logistics"),
    }
    text = _text(text)
    order = orders.order_for_buyer(user=buyer, order_id=order_id)
    if order.status not in RATEABLE or order.completed_at is None:
        raise Conflict(
            _("You can rate a trade once it is complete"), code="not_completed"
        )
    now = clock.now()
    if now > order.completed_at + dt.timedelta(days=RATING_WINDOW_DAYS):
        raise Conflict(
            _("Trades can be rated within %(days)s days of completion")
            % {"days": RATING_WINDOW_DAYS},
            code="rating_window_closed",
        )
    lines = list(order.lines.all())
    line_ids = {line.pk for line in lines}
    for review in product_reviews:
        if review.order_line_id not in line_ids:
            raise ValidationFailed(
                _("That item is not part of this order"), field="product_reviews"
            )
    biggest = max(lines, key=lambda line: (line.line_total_minor, -line.pk))
    category_id = catalog.top_category_ids([biggest.product_id]).get(biggest.product_id)
    counted = not CreditExclusion.objects.filter(order_id=order.pk).exists()
    try:
        with transaction.atomic():
            rating = TradeRating.objects.create(
                order=order,
                shop_id=order.shop_id,
                buyer=buyer,
                verdict=verdict,
                text=text,
                trade_day=trade_day(order.placed_at),
                category_id=category_id,
                rated_at=now,
                counted=counted,
                scores=False,
                **scores,
            )
    except IntegrityError as exc:
        raise Conflict(_("This trade is already rated"), code="already_rated") from exc
    _log(rating, Kind.RATED, actor=buyer, new=verdict)
    winner = _rescore_group(
        shop_id=order.shop_id, buyer_id=buyer.pk, day=rating.trade_day
    )
    rating.scores = winner is not None and winner.pk == rating.pk
    for review in product_reviews:
        reviews.review_product(
            buyer=buyer,
            order_line_id=review.order_line_id,
            rating=review.rating,
            text=review.text,
        )
    emit(
        events.TradeRated(
            rating_id=rating.pk,
            order_id=order.pk,
            shop_id=order.shop_id,
            buyer_id=buyer.pk,
            verdict=verdict,
            description_score=scores["description_score"],
            service_score=scores["service_score"],
            logistics_score=scores["logistics_score"],
            points=rating.points,
        )
    )
    return rating


def _buyer_rating(*, buyer, order_id: int) -> TradeRating:
    rating = (
        TradeRating.objects.select_for_update()
        .filter(order_id=order_id, buyer_id=buyer.pk)
        .first()
    )
    if rating is None:
        raise NotFound(_("No such rating"))
    return rating


@transaction.atomic
def amend_rating(*, buyer, order_id: int, verdict: str, text: str | None = None):
    """Change a neutral or bad rating to a better verdict (and optionally its
    text): once, within ``AMEND_WINDOW_DAYS`` of rating, by its buyer. Good
    ratings and detailed scores never change. Conflict ``rating_frozen``,
    ``already_amended`` or ``good_is_final``; ValidationFailed for a verdict
    that is not better. Emits ``c2c.trade_rating_amended``."""
    verdict = _verdict(verdict)
    new_text = None if text is None else _text(text)
    rating = _buyer_rating(buyer=buyer, order_id=order_id)
    if rating.verdict == Verdict.GOOD:
        raise Conflict(_("A good rating is final"), code="good_is_final")
    if rating.amended_at is not None:
        raise Conflict(_("A rating can be changed only once"), code="already_amended")
    now = clock.now()
    if now > rating.rated_at + dt.timedelta(days=AMEND_WINDOW_DAYS):
        raise Conflict(
            _("A rating can be changed within %(days)s days; this one is now final")
            % {"days": AMEND_WINDOW_DAYS},
            code="rating_frozen",
        )
    if RANK[verdict] <= RANK[rating.verdict]:
        raise ValidationFailed(
            _("A rating can only be changed to a better one"), field="verdict"
        )
    old = rating.verdict
    fields = {"verdict": verdict, "amended_at": now}
    if new_text is not None:
        fields["text"] = new_text
    TradeRating.objects.filter(pk=rating.pk).update(**fields)
    for name, value in fields.items():
        setattr(rating, name, value)
    _log(rating, Kind.AMENDED, actor=buyer, old=old, new=verdict)
    emit(
        events.TradeRatingAmended(
            rating_id=rating.pk,
            order_id=rating.order_id,
            shop_id=rating.shop_id,
            old_verdict=old,
            new_verdict=verdict,
        )
    )
    return rating


@transaction.atomic
def reply_to_rating(*, user, order_id: int, text: str) -> TradeRating:
    """The shop's one public reply to a rating, by its staff (anyone else:
    NotFound), within ``REPLY_WINDOW_DAYS`` of the rating. Conflict
    ``already_replied`` or ``reply_window_closed``. Emits
    ``c2c.trade_rating_replied``."""
    text = _text(text, "reply", required=True)
    rating = TradeRating.objects.select_for_update().filter(order_id=order_id).first()
    if rating is None or not (
        user.is_authenticated
        and accounts.is_shop_staff(user=user, shop_id=rating.shop_id)
    ):
        raise NotFound(_("No such rating"))
    if rating.replied_at is not None:
        raise Conflict(_("The shop has already replied"), code="already_replied")
    now = clock.now()
    if now > rating.rated_at + dt.timedelta(days=REPLY_WINDOW_DAYS):
        raise Conflict(
            _("Replies are possible within %(days)s days of the rating")
            % {"days": REPLY_WINDOW_DAYS},
            code="reply_window_closed",
        )
    TradeRating.objects.filter(pk=rating.pk).update(
        reply=text, replied_at=now, replied_by=user
    )
    rating.reply, rating.replied_at, rating.replied_by = text, now, user
    _log(rating, Kind.REPLIED, actor=user, reason=reasons.RATING_REPLIED.text())
    emit(
        events.TradeRatingReplied(
            rating_id=rating.pk, order_id=rating.order_id, shop_id=rating.shop_id
        )
    )
    return rating


def _order_shop(order_id: int) -> int:
    shop_id = orders.shop_of_order(order_id=order_id)
    if shop_id is None:
        raise NotFound(_("No such order"))
    return shop_id


@transaction.atomic
def exclude_rating_from_credit(
    *, order_id: int, reason: str, actor=None
) -> CreditExclusion:
    """Take an order out of its shop's credit (for trade governance: a fake
    trade, rating abuse). Idempotent: excluding twice changes nothing and
    returns the first exclusion. Works before the order is rated — the
    rating will start uncounted. The rating's points go to the next counted
    rating of the same buyer and day, if any. Emits
    ``c2c.credit_exclusion_changed``."""
    reason = _text(reason, "reason", required=True)[:255]
    shop_id = _order_shop(order_id)
    exclusion, created = CreditExclusion.objects.get_or_create(
        order_id=order_id, defaults={"reason": reason, "actor": actor}
    )
    if not created:
        return exclusion
    rating = TradeRating.objects.select_for_update().filter(order_id=order_id).first()
    if rating is not None and rating.counted:
        TradeRating.objects.filter(pk=rating.pk).update(counted=False, scores=False)
        _log(rating, Kind.EXCLUDED, actor=actor, reason=reason)
        winner = _rescore_group(
            shop_id=rating.shop_id, buyer_id=rating.buyer_id, day=rating.trade_day
        )
        if rating.scores and winner is not None:
            _log(
                winner,
                Kind.PROMOTED,
                actor=actor,
                reason=reasons.RATING_PROMOTED.text(number=order_id),
            )
    emit(
        events.CreditExclusionChanged(
            order_id=order_id, shop_id=shop_id, excluded=True, reason=reason
        )
    )
    return exclusion


@transaction.atomic
def restore_rating_to_credit(*, order_id: int, reason: str, actor=None) -> bool:
    """Undo an exclusion (an appeal upheld). Idempotent: False when the order
    was not excluded. The rating counts again and, if it was the day's first,
    takes the day's points back. Emits ``c2c.credit_exclusion_changed``."""
    reason = _text(reason, "reason", required=True)[:255]
    shop_id = _order_shop(order_id)
    deleted, _by_model = CreditExclusion.objects.filter(order_id=order_id).delete()
    if not deleted:
        return False
    rating = TradeRating.objects.select_for_update().filter(order_id=order_id).first()
    if rating is not None:
        TradeRating.objects.filter(pk=rating.pk).update(counted=True)
        _log(rating, Kind.RESTORED, actor=actor, reason=reason)
        _rescore_group(
            shop_id=rating.shop_id, buyer_id=rating.buyer_id, day=rating.trade_day
        )
    emit(
        events.CreditExclusionChanged(
            order_id=order_id, shop_id=shop_id, excluded=False, reason=reason
        )
    )
    return True


__all__ = [
    "AMEND_WINDOW_DAYS",
    "POINTS",
    "RATING_WINDOW_DAYS",
    "REPLY_WINDOW_DAYS",
    "ProductReviewIn",
    "amend_rating",
    "exclude_rating_from_credit",
    "rate_trade",
    "reply_to_rating",
    "restore_rating_to_credit",
]
