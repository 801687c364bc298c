"""Resolve prices through the rule pipeline (reads only; no writes here)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from emporia.kernel.money import Money

from .extensions import Price, PriceContext, Reason, price_rules


def resolve(contexts: Sequence[PriceContext]) -> list[Price]:
    """Price many lines in one pass: each rule prepares once for the batch."""
    rules = list(price_rules)
    for rule in rules:
        rule.prepare(contexts)
    results = []
    for ctx in contexts:
        price = Price(
            unit_price=ctx.list_price,
            currency=ctx.currency,
            reasons=(Reason("list_price", _("List price"), ctx.list_price),),
        )
        for rule in rules:
            price = rule.apply(ctx, price)
            if price.currency != ctx.currency:
                raise ValueError("Price rules must not change the currency")
        results.append(price)
    return results


def line_total(price: Price, quantity: int) -> Money:
    """The rounding point: unit price × quantity becomes exact Money once."""
    return Money.from_decimal(price.unit_price * quantity, price.currency)
