"""The auction: pure functions, no database."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emporia.modes.c2c.ads import auction
from emporia.modes.c2c.ads.auction import Candidate, run_auction

RESERVE = 10


def test_a_new_ad_starts_at_the_prior_mean():
    prior = auction.beta_prior(Fraction(2, 100))
    assert prior == (Fraction(2), Fraction(98))
    assert auction.predicted_ctr(clicks=0, impressions=0, prior=prior) == Fraction(
        2, 100
    )


def test_history_moves_the_ctr_away_from_the_prior():
    prior = auction.beta_prior(Fraction(2, 100))
    # 100 impressions, 10 clicks: (10 + 2) / (100 + 100) = 6 %
    assert auction.predicted_ctr(clicks=10, impressions=100, prior=prior) == Fraction(
        6, 100
    )


def test_bad_priors_are_refused():
    with pytest.raises(ValueError, match="mean"):
        auction.beta_prior(Fraction(0))
    with pytest.raises(ValueError, match="weight"):
        auction.beta_prior(Fraction(1, 2), weight=0)


def test_ranking_is_by_bid_times_ctr_not_by_bid():
    # given a high bid with a poor CTR and a lower bid with a good one
    a = Candidate("a", 200, Fraction(1, 100))  # score 2
    b = Candidate("b", 100, Fraction(5, 100))  # score 5
    c = Candidate("c", 150, Fraction(2, 100))  # score 3
    # when the auction runs for two slots
    placed = run_auction([a, b, c], slots=2, reserve_minor=RESERVE)
    # then b ranks first and pays the least bid that keeps it above c:
    # 3 / 0.05 = 60, + 1 minor = 61; c pays a's score / c's ctr + 1 = 101
    assert [(p.ref, p.rank, p.price_minor) for p in placed] == [
        ("b", 1, 61),
        ("c", 2, 101),
    ]


def test_the_last_ad_pays_the_reserve():
    placed = run_auction(
        [Candidate("only", 500, Fraction(3, 100))], slots=3, reserve_minor=RESERVE
    )
    assert [(p.ref, p.price_minor) for p in placed] == [("only", RESERVE)]


def test_bids_under_the_reserve_take_no_part():
    placed = run_auction(
        [Candidate("low", 9, Fraction(1, 2)), Candidate("ok", 10, Fraction(1, 100))],
        slots=2,
        reserve_minor=RESERVE,
    )
    assert [(p.ref, p.price_minor) for p in placed] == [("ok", RESERVE)]


def test_the_price_never_rises_above_the_bid_on_a_tie():
    a = Candidate("a", 100, Fraction(1, 10))
    b = Candidate("b", 100, Fraction(1, 10))
    placed = run_auction([a, b], slots=2, reserve_minor=RESERVE)
    assert [p.price_minor for p in placed] == [100, RESERVE]


ctrs = st.fractions(min_value=Fraction(1, 1000), max_value=Fraction(1, 2)).map(
    lambda f: f.limit_denominator(1000)
)
bids = st.integers(min_value=1, max_value=10_000)
auctions = st.lists(st.tuples(bids, ctrs), min_size=1, max_size=8)


@given(auctions, st.integers(min_value=1, max_value=5))
def test_gsp_properties(rows, slots):
    candidates = [Candidate(i, b, c) for i, (b, c) in enumerate(rows)]
    placed = run_auction(candidates, slots=slots, reserve_minor=RESERVE)
    ranked = auction.rank(candidates, reserve_minor=RESERVE)
    # slots are filled in score order, by eligible ads only
    assert [p.ref for p in placed] == [c.ref for c in ranked[:slots]]
    scores = [p.bid_minor * p.ctr for p in placed]
    assert scores == sorted(scores, reverse=True)
    for i, p in enumerate(placed):
        assert p.rank == i + 1
        # never more than the bid, never less than the reserve
        assert RESERVE <= p.price_minor <= p.bid_minor
        following = ranked[i + 1] if i + 1 < len(ranked) else None
        if following is None:
            assert p.price_minor == RESERVE
        elif p.price_minor > RESERVE and p.price_minor < p.bid_minor:
            # the price keeps the rank, and one minor unit less would not
            assert p.price_minor * p.ctr > following.score
            assert (p.price_minor - 1) * p.ctr <= following.score
        elif p.price_minor == p.bid_minor:
            assert p.bid_minor * p.ctr >= following.score


@given(auctions)
def test_raising_every_bid_keeps_the_order(rows):
    candidates = [Candidate(i, b, c) for i, (b, c) in enumerate(rows)]
    doubled = [Candidate(c.ref, c.bid_minor * 2, c.ctr) for c in candidates]
    order = [c.ref for c in auction.rank(candidates, reserve_minor=1)]
    assert [c.ref for c in auction.rank(doubled, reserve_minor=1)] == order
