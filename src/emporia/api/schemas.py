"""Schemas shared by several routers."""

from __future__ import annotations

from decimal import Decimal

from ninja import Field, Schema

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


class AddressIn(Schema):
    """A shipping address as buyers type it (checked again by
    ``accounts.services.validate_address``)."""

    recipient: str = Field(..., max_length=80)
    phone: str = Field(..., max_length=20)
    country: str = Field("CN", max_length=2)
    province: str = Field("", max_length=60)
    city: str = Field(..., max_length=60)
    district: str = Field("", max_length=60)
    line1: str = Field(..., max_length=200)
    postcode: str = Field("", max_length=12)
