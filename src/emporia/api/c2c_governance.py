"""HTTP API: C2C trade governance — the operators' review queue, penalties
and appeal rulings; sellers see and appeal their own shop's penalties.

Operator-only endpoints answer 403 to everyone else; a penalty of another
shop is a 404 to a seller.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema
from pydantic import StrictInt

from emporia.modes.c2c.governance import selectors, services
from emporia.modes.c2c.models import Penalty, TradeAssessment

from .auth import AUTH
from .schemas import MoneyOut, money

router = Router(tags=["C2C governance"], auth=AUTH)


class EvidenceOut(Schema):
    signal: str
    weight: int
    text: str


class AssessmentOut(Schema):
    order_id: int
    order_number: str
    total: MoneyOut
    shop_id: int
    shop_name: str
    buyer_id: int
    score: int
    status: str
    signals: list[str]
    evidence: list[EvidenceOut]
    scored_at: dt.datetime
    review_note: str


def assessment_out(a: TradeAssessment) -> dict:
    return {
        "order_id": a.order_id,
        "order_number": a.order.number,
        "total": money(a.order.total_minor, a.order.currency),
        "shop_id": a.shop_id,
        "shop_name": a.shop.name,
        "buyer_id": a.buyer_id,
        "score": a.score,
        "status": a.status,
        "signals": a.signals,
        "evidence": a.evidence,
        "scored_at": a.scored_at,
        "review_note": a.review_note,
    }


class AppealOut(Schema):
    id: int
    penalty_id: int
    text: str
    status: str
    filed_at: dt.datetime
    ruling: str
    ruled_at: dt.datetime | None


class PenaltyOut(Schema):
    id: int
    shop_id: int
    shop_name: str
    measures: list[str]
    status: str
    reason: str
    automatic: bool
    applied_at: dt.datetime
    lifted_at: dt.datetime | None
    lift_reason: str
    order_ids: list[int]
    appeal: AppealOut | None


def appeal_out(appeal) -> dict:
    return {
        "id": appeal.pk,
        "penalty_id": appeal.penalty_id,
        "text": appeal.text,
        "status": appeal.status,
        "filed_at": appeal.filed_at,
        "ruling": appeal.ruling,
        "ruled_at": appeal.ruled_at,
    }


def penalty_out(p: Penalty) -> dict:
    appeal = getattr(p, "appeal", None)  # the reverse one-to-one, if any
    return {
        "id": p.pk,
        "shop_id": p.shop_id,
        "shop_name": p.shop.name,
        "measures": p.measures,
        "status": p.status,
        "reason": p.reason,
        "automatic": p.automatic,
        "applied_at": p.applied_at,
        "lifted_at": p.lifted_at,
        "lift_reason": p.lift_reason,
        "order_ids": selectors.penalty_order_ids(p),
        "appeal": appeal_out(appeal) if appeal is not None else None,
    }


class QueueQuery(Schema):
    status: Literal["flagged", "clear", "dismissed", "penalised"] = "flagged"
    page: int = Field(1, ge=1, le=1000)
    page_size: int = Field(20, ge=1, le=100)


class QueuePage(Schema):
    count: int
    page: int
    items: list[AssessmentOut]


@router.get("/queue", response=QueuePage)
def queue(request, q: Query[QueueQuery]):
    """Operators: assessed trades in a status, highest score first."""
    selectors.require_operator(request.auth)
    qs = selectors.review_queue(status=q.status)
    start = (q.page - 1) * q.page_size
    return {
        "count": qs.count(),
        "page": q.page,
        "items": [assessment_out(a) for a in qs[start : start + q.page_size]],
    }


@router.get("/trades/{order_id}", response=AssessmentOut)
def trade(request, order_id: int):
    """Operators: one trade's score and evidence."""
    selectors.require_operator(request.auth)
    return assessment_out(selectors.assessment(order_id=order_id))


class NoteIn(Schema):
    note: str = Field("", max_length=500)


@router.post("/trades/{order_id}/dismiss", response=AssessmentOut)
def dismiss(request, order_id: int, payload: NoteIn):
    """Operators: the flagged trade is honest (its escrow is released)."""
    services.dismiss_assessment(order_id=order_id, by=request.auth, note=payload.note)
    return assessment_out(selectors.assessment(order_id=order_id))


class PenaltyIn(Schema):
    shop_id: int = Field(..., ge=1, strict=True)
    order_ids: list[StrictInt] = Field(default_factory=list, max_length=500)
    measures: list[Literal["remove_sales", "withhold_escrow", "demote", "freeze"]] = (
        Field(..., min_length=1, max_length=4)
    )
    reason: str = Field(..., min_length=1, max_length=500)


@router.post("/penalties", response={201: PenaltyOut})
def apply_penalty(request, payload: PenaltyIn):
    """Operators: penalise a shop for fake trades."""
    penalty = services.apply_penalty(
        shop_id=payload.shop_id,
        order_ids=payload.order_ids,
        measures=payload.measures,
        reason=payload.reason,
        by=request.auth,
    )
    return 201, penalty_out(
        selectors.penalty_for_party(user=request.auth, penalty_id=penalty.pk)
    )


class PenaltyQuery(Schema):
    status: Literal["active", "lifted"] | None = None


@router.get("/penalties", response=list[PenaltyOut])
def penalties(request, q: Query[PenaltyQuery]):
    """Operators: every penalty, newest first (at most 200)."""
    selectors.require_operator(request.auth)
    return [penalty_out(p) for p in selectors.penalties(status=q.status)[:200]]


@router.get("/penalties/{penalty_id}", response=PenaltyOut)
def penalty(request, penalty_id: int):
    """Operators, and the penalised shop's staff."""
    return penalty_out(
        selectors.penalty_for_party(user=request.auth, penalty_id=penalty_id)
    )


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


@router.post("/penalties/{penalty_id}/lift", response=PenaltyOut)
def lift(request, penalty_id: int, payload: ReasonIn):
    """Operators: reverse a penalty."""
    services.lift_penalty(penalty_id=penalty_id, by=request.auth, reason=payload.reason)
    return penalty_out(
        selectors.penalty_for_party(user=request.auth, penalty_id=penalty_id)
    )


@router.get("/shops/{shop_id}/penalties", response=list[PenaltyOut])
def shop_penalties(request, shop_id: int):
    """The shop's staff: their shop's penalties, newest first."""
    return [
        penalty_out(p)
        for p in selectors.penalties_for_shop(user=request.auth, shop_id=shop_id)[:200]
    ]


class AppealIn(Schema):
    text: str = Field(..., min_length=1, max_length=4000)


@router.post("/penalties/{penalty_id}/appeal", response={201: AppealOut})
def appeal(request, penalty_id: int, payload: AppealIn):
    """The penalised shop's staff: appeal, once, with your side of the story."""
    filed = services.file_appeal(
        penalty_id=penalty_id, by=request.auth, text=payload.text
    )
    return 201, appeal_out(filed)


@router.get("/appeals", response=list[AppealOut])
def appeals(request):
    """Operators: open appeals, oldest first."""
    selectors.require_operator(request.auth)
    return [appeal_out(a) for a in selectors.open_appeals()[:200]]


class RulingIn(Schema):
    decision: Literal["uphold", "lift"]
    note: str = Field(..., min_length=1, max_length=1000)


@router.post("/appeals/{appeal_id}/rule", response=AppealOut)
def rule(request, appeal_id: int, payload: RulingIn):
    """Operators: uphold the penalty, or lift it (reversing its measures)."""
    return appeal_out(
        services.rule_appeal(
            appeal_id=appeal_id,
            by=request.auth,
            decision=payload.decision,
            note=payload.note,
        )
    )
