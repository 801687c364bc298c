"""Template filters for the faces: money, minor units, stars, stored reasons."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from emporia.core.fulfilment.states import R as ReturnStatus
from emporia.core.orders.states import OrderStatus
from emporia.infra import reasons
from emporia.kernel.money import Money
from emporia.web.formatting import format_money

register = template.Library()


@register.filter
def money(value) -> str:
    """``{{ price|money }}``: a Money (or its dict) in the active language's locale."""
    return format_money(value)


@register.filter
def minor_money(minor, currency: str) -> str:
    """``{{ order.total_minor|minor_money:order.currency }}``."""
    if minor is None:
        return ""
    return format_money(Money(int(minor), currency))


@register.filter
def stars(rating) -> str:
    """A 1–5 rating as ★★★☆☆ (the number is given beside it for screen readers)."""
    try:
        n = round(float(rating))
    except (TypeError, ValueError):
        return ""
    n = max(0, min(5, n))
    return "★" * n + "☆" * (5 - n)


@register.filter
def get(mapping, key):
    """``{{ dict|get:key }}`` for dicts keyed by variables."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def order_status(value) -> str:
    """An order status code as its label in the active language."""
    try:
        return gettext(OrderStatus(value).label)
    except ValueError:
        return value or ""


@register.filter
def return_status(value) -> str:
    """A return request's status code as its label in the active language."""
    try:
        return gettext(ReturnStatus(value).label)
    except ValueError:
        return value or ""


@register.filter
def shown_reason(value) -> str:
    """``{{ h.reason|shown_reason }}``: a reason, memo or note stored with a
    change, in the active language when an app declared it
    (``emporia.infra.reasons``); text a person typed is shown as typed."""
    return reasons.shown(value)
