"""Money: exact minor units, ISO 4217 decimals, no silent conversion."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emporia.kernel.money import CurrencyMismatch, Money, decimals, total


def test_decimals_come_from_iso_4217():
    assert (decimals("CNY"), decimals("JPY"), decimals("KWD")) == (2, 0, 3)


def test_from_decimal_rounds_half_to_even_once():
    assert Money.from_decimal("0.125", "CNY") == Money(12, "CNY")
    assert Money.from_decimal("0.135", "CNY") == Money(14, "CNY")
    assert Money.from_decimal("1999", "JPY") == Money(1999, "JPY")


def test_floats_are_refused_everywhere():
    with pytest.raises(TypeError):
        Money(1.5, "CNY")
    with pytest.raises(TypeError):
        Money.from_decimal(1.5, "CNY")
    with pytest.raises(TypeError):
        Money(100, "CNY").times(0.05)


def test_mixing_currencies_raises():
    with pytest.raises(CurrencyMismatch):
        Money(100, "CNY") + Money(100, "USD")
    with pytest.raises(CurrencyMismatch):
        assert Money(100, "CNY") < Money(100, "USD")


def test_unknown_currency_and_out_of_range_amounts_are_refused():
    with pytest.raises(ValueError, match="Unknown currency"):
        Money(1, "XYZ")
    with pytest.raises(ValueError, match="out of range"):
        Money(10**16, "CNY")


def test_amount_and_formatting():
    m = Money(123456, "CNY")
    assert m.amount == Decimal("1234.56")
    assert m.format("en") == "CN¥1,234.56"
    assert m.format("zh_Hans_CN") == "¥1,234.56"
    assert m.as_dict() == {"minor": 123456, "currency": "CNY", "amount": "1234.56"}


def test_commission_is_rounded_half_even():
    assert Money(10050, "CNY").times(Decimal("0.05")) == Money(
        502, "CNY"
    )  # 502.5 → 502
    assert Money(10150, "CNY").times(Decimal("0.05")) == Money(
        508, "CNY"
    )  # 507.5 → 508


def test_allocate_gives_the_remainder_to_the_largest_fractions():
    assert Money(100, "CNY").allocate([1, 1, 1]) == [
        Money(34, "CNY"),
        Money(33, "CNY"),
        Money(33, "CNY"),
    ]
    assert Money(-100, "CNY").allocate([1, 1, 1]) == [
        Money(-34, "CNY"),
        Money(-33, "CNY"),
        Money(-33, "CNY"),
    ]
    # 1.5 and 3.5: equal fractions, so the spare yen goes to the earlier part
    assert Money(5, "JPY").allocate([3, 7]) == [Money(2, "JPY"), Money(3, "JPY")]


@given(
    minor=st.integers(min_value=-(10**12), max_value=10**12),
    ratios=st.lists(
        st.integers(min_value=0, max_value=1000), min_size=1, max_size=12
    ).filter(lambda r: sum(r) > 0),
)
def test_allocate_never_loses_or_invents_a_cent(minor, ratios):
    parts = Money(minor, "CNY").allocate(ratios)
    assert total(parts, "CNY") == Money(minor, "CNY")
    assert all(
        abs(p.minor * sum(ratios) - minor * r) < sum(ratios)
        for p, r in zip(parts, ratios, strict=True)
    )
