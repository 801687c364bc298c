"""Reactions to core order events for group members' orders. Each only calls
``sync_group``, which reads the facts again under a lock, so running a
handler twice or out of order is harmless."""

from __future__ import annotations

from emporia.core.orders import events as order_events

from .services import groups


def on_order_paid(event: order_events.OrderPaid) -> None:
    groups.sync_group_of_order(source=event.source, source_ref=event.source_ref)


def on_order_cancelled(event: order_events.OrderCancelled) -> None:
    groups.sync_group_of_order(source=event.source, source_ref=event.source_ref)


def on_order_refunded(event: order_events.OrderRefunded) -> None:
    groups.sync_group_of_order_id(order_id=event.order_id)
