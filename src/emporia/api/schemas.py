"""Schemas shared by several routers."""

from __future__ import annotations

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
