"""How the faces show numbers to people: money in the shopper's locale."""

from __future__ import annotations

from django.utils import translation

from emporia.kernel.money import Money

BABEL_LOCALES = {"zh-hans": "zh_Hans_CN", "en": "en"}


def babel_locale(language: str | None = None) -> str:
    """The babel locale for a Django language code (the active one by default)."""
    return BABEL_LOCALES.get(language or translation.get_language() or "", "zh_Hans_CN")


def as_money(value) -> Money | None:
    """A Money from a Money, an ``as_dict()`` dict or None."""
    if value is None or value == "":
        return None
    if isinstance(value, Money):
        return value
    if isinstance(value, dict) and "minor" in value:
        return Money(int(value["minor"]), value["currency"])
    raise TypeError(f"Cannot show {type(value).__name__} as money")


def format_money(value, language: str | None = None) -> str:
    money = as_money(value)
    return "" if money is None else money.format(babel_locale(language))
