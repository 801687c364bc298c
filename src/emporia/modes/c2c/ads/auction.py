"""The keyword-ad auction: pure functions, no database.

Ranking. Every candidate ad has a bid ``b`` (minor units) and a predicted
click-through rate ``ctr``; it ranks by ``score = b × ctr`` (ties: the higher
bid, then the smaller ``ref``). Bids under the reserve price take no part.

Predicted CTR (the quality score). A keyword that has been shown ``n`` times
and clicked ``c`` times has

    ctr = (c + α) / (n + α + β),   α = m·k,  β = (1 − m)·k

— the mean of a Beta(α, β) prior updated by its history. ``m`` is the prior
mean (the platform's average CTR) and ``k`` its weight in impressions, so a
new ad starts at the platform average and its own history takes over as it
gathers impressions (after ``k`` impressions both weigh the same).

Price (generalized second price). The ad in slot ``i`` pays the least bid
that still ranks it above the next ad ``i+1``:

    price_i = min(b_i, max(reserve, ⌊score_{i+1} / ctr_i⌋ + 1))

i.e. one minor unit (0.01 CNY) above the bid at which its score would equal
the next one's. The next ad may be the first one that got no slot. The last
ad, with nobody below it, pays the reserve. All arithmetic is exact
(``fractions.Fraction``), so the price is never more than the bid, never
less than the reserve, and one unit less would lose the rank.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction

PRIOR_WEIGHT = 100  # k: the prior counts as this many impressions


def beta_prior(
    mean: Fraction, *, weight: int = PRIOR_WEIGHT
) -> tuple[Fraction, Fraction]:
    """(α, β) of the Beta prior with this mean and weight (α + β = weight)."""
    if not 0 < mean < 1:
        raise ValueError("the prior mean must be strictly between 0 and 1")
    if weight <= 0:
        raise ValueError("the prior weight must be positive")
    return mean * weight, (1 - mean) * weight


def predicted_ctr(
    *, clicks: int, impressions: int, prior: tuple[Fraction, Fraction]
) -> Fraction:
    """Posterior mean click-through rate: (clicks + α) / (impressions + α + β)."""
    if clicks < 0 or impressions < 0:
        raise ValueError("counts cannot be negative")
    alpha, beta = prior
    return (Fraction(clicks) + alpha) / (Fraction(impressions) + alpha + beta)


@dataclass(frozen=True)
class Candidate:
    """An ad in the auction: ``ref`` names it (e.g. (keyword id, product
    id)), ``bid_minor`` is its bid, ``ctr`` its predicted click-through."""

    ref: Hashable
    bid_minor: int
    ctr: Fraction

    @property
    def score(self) -> Fraction:
        return self.bid_minor * self.ctr


@dataclass(frozen=True)
class Placement:
    """An ad that won slot ``rank`` (1 is the top) and pays ``price_minor`` a click."""

    ref: Hashable
    rank: int
    bid_minor: int
    ctr: Fraction
    price_minor: int


def _order_key(c: Candidate):
    return (-c.score, -c.bid_minor, repr(c.ref))


def beats(a: Candidate, b: Candidate) -> bool:
    """Whether ``a`` ranks above ``b``."""
    return _order_key(a) < _order_key(b)


def rank(candidates: Sequence[Candidate], *, reserve_minor: int) -> list[Candidate]:
    """Eligible candidates (bid ≥ reserve, ctr > 0), best score first."""
    eligible = [c for c in candidates if c.bid_minor >= reserve_minor and c.ctr > 0]
    return sorted(eligible, key=_order_key)


def gsp_price(*, own: Candidate, next_: Candidate | None, reserve_minor: int) -> int:
    """The generalized second price of ``own`` above ``next_`` (see module)."""
    if next_ is None:
        return reserve_minor
    least = math.floor(next_.score / own.ctr) + 1
    return min(own.bid_minor, max(reserve_minor, least))


def run_auction(
    candidates: Sequence[Candidate], *, slots: int, reserve_minor: int
) -> list[Placement]:
    """Fill up to ``slots`` slots from ``candidates`` and price each (GSP)."""
    if reserve_minor <= 0:
        raise ValueError("the reserve price must be positive")
    ranked = rank(candidates, reserve_minor=reserve_minor)
    placements = []
    for i, own in enumerate(ranked[: max(0, slots)]):
        next_ = ranked[i + 1] if i + 1 < len(ranked) else None
        placements.append(
            Placement(
                ref=own.ref,
                rank=i + 1,
                bid_minor=own.bid_minor,
                ctr=own.ctr,
                price_minor=gsp_price(
                    own=own, next_=next_, reserve_minor=reserve_minor
                ),
            )
        )
    return placements
