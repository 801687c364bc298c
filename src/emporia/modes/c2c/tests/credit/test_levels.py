"""The published credit level table, at its boundaries (no database)."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from emporia.modes.c2c.credit_levels import LEVELS, THRESHOLDS, level_for


def test_taobao_boundaries():
    cases = {
        -5: ("none", 0),
        3: ("none", 0),
        4: ("heart", 1),
        10: ("heart", 1),
        11: ("heart", 2),
        250: ("heart", 5),
        251: ("diamond", 1),
        10000: ("diamond", 5),
        10001: ("crown", 1),
        500000: ("crown", 5),
        500001: ("golden_crown", 1),
        10000001: ("golden_crown", 5),
        10**12: ("golden_crown", 5),
    }
    assert {p: (level_for(p).tier, level_for(p).icons) for p in cases} == cases


def test_levels_tile_the_whole_line():
    assert LEVELS[0].high == THRESHOLDS[0][0] - 1
    for lower, upper in itertools.pairwise(LEVELS):
        assert upper.low == lower.high + 1
    assert LEVELS[-1].high is None


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_a_level_contains_its_points(points):
    level = level_for(points)
    assert level.low is None or level.low <= points
    assert level.high is None or points <= level.high


@given(st.integers(min_value=0, max_value=len(THRESHOLDS) - 1))
def test_each_threshold_starts_its_level_and_ends_the_one_before(i):
    start, tier, icons = THRESHOLDS[i]
    assert (level_for(start).tier, level_for(start).icons) == (tier, icons)
    assert level_for(start - 1).rank == i


@given(st.integers(-(10**8), 10**8), st.integers(0, 10**8))
def test_more_points_never_lower_the_level(points, more):
    assert level_for(points + more).rank >= level_for(points).rank
