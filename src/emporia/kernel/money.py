"""Money: an exact amount in a currency's minor units.

``Money(minor=1999, currency="CNY")`` is ¥19.99. Decimals per currency come from
ISO 4217 via babel (JPY has 0, CNY 2, KWD 3). Arithmetic between different
currencies raises: nothing converts silently. Unit prices may be Decimals; they
become Money at one named rounding point, :meth:`Money.from_decimal`, with
banker's rounding (ROUND_HALF_EVEN).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision, list_currencies

# Amounts are stored in BigIntegerField: keep them well inside a signed 64-bit
# integer so sums of many postings cannot overflow either.
MAX_MINOR = 10**15


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined."""


@functools.cache
def known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


@functools.cache
def decimals(currency: str) -> int:
    """Number of minor-unit digits for an ISO 4217 currency code."""
    if currency not in known_currencies():
        raise ValueError(f"Unknown currency code {currency!r}")
    return get_currency_precision(currency)


@dataclass(frozen=True, slots=True, order=False)
class Money:
    minor: int
    currency: str

    def __post_init__(self):
        if isinstance(self.minor, bool) or not isinstance(self.minor, int):
            raise TypeError("Money.minor must be an int (minor units), never a float")
        if abs(self.minor) > MAX_MINOR:
            raise ValueError("Amount is out of range")
        decimals(self.currency)  # validates the code

    # -- construction ---------------------------------------------------------
    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def from_decimal(cls, amount: Decimal | str | int, currency: str) -> Money:
        """The rounding point: a major-unit Decimal becomes exact minor units."""
        if isinstance(amount, float):
            raise TypeError("Money never comes from a float; pass a Decimal or str")
        try:
            value = Decimal(amount)
        except InvalidOperation as exc:
            raise ValueError(f"{amount!r} is not a number") from exc
        if not value.is_finite():
            raise ValueError("Amount must be a finite number")
        scaled = (value * (10 ** decimals(currency))).quantize(
            Decimal(1), rounding=ROUND_HALF_EVEN
        )
        return cls(int(scaled), currency)

    # -- views ----------------------------------------------------------------
    @property
    def amount(self) -> Decimal:
        """The amount in major units, exact."""
        return Decimal(self.minor).scaleb(-decimals(self.currency))

    def format(self, locale: str = "en") -> str:
        return format_currency(self.amount, self.currency, locale=locale)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def as_dict(self) -> dict:
        return {
            "minor": self.minor,
            "currency": self.currency,
            "amount": str(self.amount),
        }

    # -- arithmetic -----------------------------------------------------------
    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"Cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"Cannot combine {self.currency} with {other.currency}"
            )

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __mul__(self, factor: int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int):
            raise TypeError("Money can only be multiplied by an int; use times()")
        return Money(self.minor * factor, self.currency)

    __rmul__ = __mul__

    def times(self, rate: Decimal | str) -> Money:
        """Multiply by a Decimal rate (commission, tax, discount) and round once."""
        if isinstance(rate, float):
            raise TypeError("Rates are Decimals, never floats")
        scaled = (Decimal(self.minor) * Decimal(rate)).quantize(
            Decimal(1), rounding=ROUND_HALF_EVEN
        )
        return Money(int(scaled), self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.minor <= other.minor

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor > other.minor

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.minor >= other.minor

    def __bool__(self) -> bool:
        return self.minor != 0

    @property
    def is_negative(self) -> bool:
        return self.minor < 0

    # -- splitting ------------------------------------------------------------
    def allocate(self, ratios: Sequence[int]) -> list[Money]:
        """Split by integer ratios without losing or inventing a minor unit.

        Remainders go one unit at a time to the parts with the largest
        fractional share (ties to the earlier part), so the parts always sum to
        the whole: ``Money(100, "CNY").allocate([1, 1, 1])`` → 34, 33, 33.
        """
        if not ratios or any(r < 0 for r in ratios) or sum(ratios) == 0:
            raise ValueError("Ratios must be non-negative with a positive sum")
        total = sum(ratios)
        sign = -1 if self.minor < 0 else 1
        whole = abs(self.minor)
        shares = [whole * r // total for r in ratios]
        remainders = [whole * r % total for r in ratios]
        left = whole - sum(shares)
        order = sorted(range(len(ratios)), key=lambda i: (-remainders[i], i))
        for i in order[:left]:
            shares[i] += 1
        return [Money(sign * s, self.currency) for s in shares]


def total(amounts: Iterable[Money], currency: str) -> Money:
    """Sum amounts of one currency; an empty iterable gives zero."""
    result = Money.zero(currency)
    for amount in amounts:
        result = result + amount
    return result
