"""Governance events. Credit, ads and reports react to them through the
outbox (e.g. the credit score drops and restores the trades)."""

from __future__ import annotations

from emporia.kernel.events import event


@event("c2c.penalty_applied", version=1)
class PenaltyApplied:
    """A penalty now covers these trades of the shop. With ``remove_sales`` in
    ``measures`` the trades no longer count in sales or credit."""

    penalty_id: int
    shop_id: int
    order_ids: list[int]
    measures: list[str]
    automatic: bool


@event("c2c.penalty_lifted", version=1)
class PenaltyLifted:
    """A penalty was lifted (by an operator or on appeal): its trades count
    again and its measures were reversed."""

    penalty_id: int
    shop_id: int
    order_ids: list[int]
    measures: list[str]
    reason: str


@event("c2c.appeal_ruled", version=1)
class AppealRuled:
    """An operator ruled on a seller's appeal: ``decision`` "uphold" or "lift"."""

    appeal_id: int
    penalty_id: int
    shop_id: int
    decision: str
