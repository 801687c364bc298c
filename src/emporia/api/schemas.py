"""Schemas shared by several routers."""

from __future__ import annotations

from decimal import Decimal

from ninja import Schema

from emporia.kernel.money import Money


class MoneyOut(Schema):
    minor: int
    currency: str
    amount: str


def money(minor: int, currency: str) -> dict:
    return Money(minor, currency).as_dict()


class Message(Schema):
    message: str


def decimal_str(value: Decimal) -> str:
    """A unit price for people and JSON: "9.9", "10", never "1E+1"."""
    return format(value.normalize(), "f")
