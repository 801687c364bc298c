"""HTTP API of the C2C trust features: free shop opening, the buyer's escrow
extension, disputes (open, answer, evidence, withdraw, rule) and doorstep
pickup for returns. Mounted under /api/c2c/.

Evidence is sent as multipart form data (``text`` plus an optional
``image``); everything else is JSON. Someone else's order, dispute, return
or pickup is a 404.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Query, Router, Schema
from ninja.files import UploadedFile

from emporia.core.accounts import selectors as accounts
from emporia.core.orders import selectors as order_selectors
from emporia.core.orders import services as order_services
from emporia.kernel.errors import NotFound
from emporia.kernel.money import Money
from emporia.modes.c2c import pickup_sandbox
from emporia.modes.c2c.selectors import disputes as dispute_selectors
from emporia.modes.c2c.selectors import pickup as pickup_selectors
from emporia.modes.c2c.selectors import shops as shop_selectors
from emporia.modes.c2c.services import disputes, escrow, pickup, shops
from emporia.modes.c2c.states.disputes import DisputeStatus

from .auth import AUTH
from .schemas import MoneyOut, money

router = Router(tags=["C2C: shops, escrow, disputes, pickup"], auth=AUTH)
MAX_ID = 2**62


# --- shops -------------------------------------------------------------------


class OpenShopIn(Schema):
    shop_name: str = Field(..., min_length=1, max_length=120)
    real_name: str = Field(..., min_length=1, max_length=40)
    id_number: str = Field(..., min_length=1, max_length=24)
    mobile: str = Field(..., min_length=1, max_length=20)
    description: str = Field("", max_length=5000)


class ShopOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    real_name: str
    id_number_masked: str


class TierOut(Schema):
    good_orders: int
    completed_orders: int
    lost_disputes: int
    listed: int
    limit: int | None
    next_at: int | None
    next_limit: int | None


@router.post("/shops", response={201: ShopOut})
def open_shop(request, payload: OpenShopIn):
    """Open an individual shop for free with identity details only. The ID
    number comes back masked; it is never stored in clear."""
    shop = shops.open_individual_shop(owner=request.auth, **payload.dict())
    identity = shop_selectors.identity_for_shop(shop.pk)
    return 201, {
        "id": shop.pk,
        "name": shop.name,
        "slug": shop.slug,
        "kind": shop.kind,
        "real_name": identity.real_name,
        "id_number_masked": identity.id_number_masked,
    }


@router.get("/shops/{shop_id}/listing-tier", response=TierOut)
def listing_tier(request, shop_id: int = Path(..., ge=1, le=MAX_ID)):
    """The shop's listing limit and what lifts it (shop staff)."""
    shop = accounts.staff_shop(user=request.auth, shop_id=shop_id)
    tier = shop_selectors.listing_tier(shop.pk)
    return {**vars(tier), "listed": shop_selectors.listed_count(shop.pk)}


# --- escrow and disputes -----------------------------------------------------


class ExtensionOut(Schema):
    order_id: int
    days: int
    release_at: dt.datetime


@router.post("/orders/{order_id}/extend-release", response=ExtensionOut)
def extend_release(request, order_id: int = Path(..., ge=1, le=MAX_ID)):
    """Push the automatic release of escrow back, once per order."""
    order = order_selectors.order_for_buyer(user=request.auth, order_id=order_id)
    extension = escrow.extend_release(order=order, buyer=request.auth)
    return {
        "order_id": order.pk,
        "days": extension.days,
        "release_at": extension.new_release_at,
    }


class EvidenceOut(Schema):
    id: int
    party: str
    author: str
    text: str
    image_url: str | None
    at: dt.datetime


class HistoryOut(Schema):
    from_status: str
    to_status: str
    actor_kind: str
    reason: str
    at: dt.datetime


class DisputeOut(Schema):
    id: int
    order_id: int
    order_number: str
    shop_id: int
    reason: str
    status: str
    outcome: str
    refund: MoneyOut
    held: MoneyOut
    answer_by: dt.datetime
    opened_at: dt.datetime
    ruled_at: dt.datetime | None
    ruling_note: str
    evidence: list[EvidenceOut]
    history: list[HistoryOut]


def evidence_url(evidence) -> str | None:
    if not evidence.image:
        return None
    return f"/c2c/evidence/{evidence.pk}/image"


def dispute_out(d) -> dict:
    return {
        "id": d.pk,
        "order_id": d.order_id,
        "order_number": d.order.number,
        "shop_id": d.shop_id,
        "reason": d.reason,
        "status": d.status,
        "outcome": d.outcome,
        "refund": money(d.refund_minor, d.currency),
        "held": order_services.escrow_held(d.order).as_dict(),
        "answer_by": d.answer_by,
        "opened_at": d.opened_at,
        "ruled_at": d.ruled_at,
        "ruling_note": d.ruling_note,
        "evidence": [
            {
                "id": e.pk,
                "party": e.party,
                "author": e.author.display_name,
                "text": e.text,
                "image_url": evidence_url(e),
                "at": e.at,
            }
            for e in d.evidence.all()
        ],
        "history": [
            {
                "from_status": h.from_status,
                "to_status": h.to_status,
                "actor_kind": h.actor_kind,
                "reason": h.reason,
                "at": h.at,
            }
            for h in d.history.all()
        ],
    }


def _reload(request, dispute_id: int) -> dict:
    return dispute_out(
        dispute_selectors.dispute_for_user(user=request.auth, dispute_id=dispute_id)
    )


@router.post("/orders/{order_id}/disputes", response={201: DisputeOut})
def open_dispute(
    request,
    order_id: int = Path(..., ge=1, le=MAX_ID),
    reason: str = Form(..., max_length=20),
    text: str = Form(..., max_length=2000),
    image: File[UploadedFile] = None,
):
    """The buyer opens a dispute (``not_received`` or ``not_as_described``)
    with a statement and an optional image (multipart form)."""
    order = order_selectors.order_for_buyer(user=request.auth, order_id=order_id)
    dispute = disputes.open_dispute(
        order=order, buyer=request.auth, reason=reason, text=text, image=image
    )
    return 201, _reload(request, dispute.pk)


@router.get("/disputes/{dispute_id}", response=DisputeOut)
def dispute_detail(request, dispute_id: int = Path(..., ge=1, le=MAX_ID)):
    """A dispute with its evidence and timeline (buyer, seller or operator)."""
    return _reload(request, dispute_id)


@router.post("/disputes/{dispute_id}/answer", response=DisputeOut)
def answer(
    request,
    dispute_id: int = Path(..., ge=1, le=MAX_ID),
    text: str = Form(..., max_length=2000),
    image: File[UploadedFile] = None,
):
    """The seller answers within the answer window (multipart form)."""
    dispute = dispute_selectors.dispute_for_user(
        user=request.auth, dispute_id=dispute_id
    )
    disputes.answer_dispute(dispute=dispute, by=request.auth, text=text, image=image)
    return _reload(request, dispute_id)


@router.post("/disputes/{dispute_id}/evidence", response={201: DisputeOut})
def add_evidence(
    request,
    dispute_id: int = Path(..., ge=1, le=MAX_ID),
    text: str = Form(..., max_length=2000),
    image: File[UploadedFile] = None,
):
    """Either side adds a statement while the dispute is open."""
    dispute = dispute_selectors.dispute_for_user(
        user=request.auth, dispute_id=dispute_id
    )
    disputes.add_evidence(dispute=dispute, by=request.auth, text=text, image=image)
    return 201, _reload(request, dispute_id)


class WithdrawIn(Schema):
    reason: str = Field("", max_length=255)


@router.post("/disputes/{dispute_id}/withdraw", response=DisputeOut)
def withdraw(
    request, payload: WithdrawIn, dispute_id: int = Path(..., ge=1, le=MAX_ID)
):
    """The buyer withdraws the dispute."""
    dispute = dispute_selectors.dispute_for_user(
        user=request.auth, dispute_id=dispute_id
    )
    disputes.withdraw_dispute(
        dispute=dispute, buyer=request.auth, reason=payload.reason
    )
    return _reload(request, dispute_id)


class RulingIn(Schema):
    outcome: str = Field(..., max_length=20)
    note: str = Field(..., min_length=1, max_length=1000)
    refund_minor: int | None = Field(None, ge=0, le=10**15, strict=True)


@router.post("/disputes/{dispute_id}/ruling", response=DisputeOut)
def rule(request, payload: RulingIn, dispute_id: int = Path(..., ge=1, le=MAX_ID)):
    """A platform operator rules: ``refund_full``, ``refund_partial`` (with
    ``refund_minor``) or ``release``."""
    if not request.auth.is_operator:
        raise NotFound(_("No such dispute"))
    dispute = dispute_selectors.dispute_for_user(
        user=request.auth, dispute_id=dispute_id
    )
    refund = (
        Money(payload.refund_minor, dispute.currency)
        if payload.refund_minor is not None
        else None
    )
    disputes.rule_dispute(
        dispute=dispute,
        operator=request.auth,
        outcome=payload.outcome,
        note=payload.note,
        refund=refund,
    )
    return _reload(request, dispute_id)


class DisputeRow(Schema):
    id: int
    order_id: int
    shop_id: int
    reason: str
    status: str
    opened_at: dt.datetime
    answer_by: dt.datetime


class QueueQuery(Schema):
    status: DisputeStatus | None = None


def _rows(qs) -> list[dict]:
    return [
        {
            "id": d.pk,
            "order_id": d.order_id,
            "shop_id": d.shop_id,
            "reason": d.reason,
            "status": d.status,
            "opened_at": d.opened_at,
            "answer_by": d.answer_by,
        }
        for d in qs[:200]
    ]


@router.get("/disputes", response=list[DisputeRow])
def dispute_queue(request, query: Query[QueueQuery]):
    """Operators: open and answered disputes, oldest first (or one status).
    Others: their own disputes as a buyer."""
    if request.auth.is_operator:
        return _rows(dispute_selectors.dispute_queue(status=query.status))
    return _rows(dispute_selectors.disputes_for_buyer(user=request.auth))


@router.get("/shops/{shop_id}/disputes", response=list[DisputeRow])
def shop_disputes(request, shop_id: int = Path(..., ge=1, le=MAX_ID)):
    """A shop's disputes (shop staff)."""
    return _rows(
        dispute_selectors.disputes_for_shop(user=request.auth, shop_id=shop_id)
    )


# --- doorstep pickup ---------------------------------------------------------


class WindowOut(Schema):
    carrier: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    left: int


class ScanOut(Schema):
    status: str
    description: str
    place: str
    at: dt.datetime


class PickupOut(Schema):
    id: int
    return_id: int
    status: str
    carrier: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    tracking_number: str
    scans: list[ScanOut]


class BookIn(Schema):
    starts_at: dt.datetime


class ScanIn(Schema):
    status: str = Field(..., max_length=12)
    description: str = Field("", max_length=255)
    place: str = Field("", max_length=120)


def pickup_out(b) -> dict:
    return {
        "id": b.pk,
        "return_id": b.request_id,
        "status": b.status,
        "carrier": b.slot.carrier,
        "starts_at": b.slot.starts_at,
        "ends_at": b.slot.ends_at,
        "tracking_number": b.tracking_number,
        "scans": [
            {
                "status": s.status,
                "description": s.description,
                "place": s.place,
                "at": s.at,
            }
            for s in b.scans.all()
        ],
    }


@router.get("/returns/{return_id}/pickup-windows", response=list[WindowOut])
def pickup_windows(request, return_id: int = Path(..., ge=1, le=MAX_ID)):
    """The courier's windows for the next days, with places left."""
    ret = pickup_selectors.return_for_buyer(user=request.auth, return_id=return_id)
    return [vars(w) for w in pickup_selectors.offered_windows(request=ret)]


@router.get("/returns/{return_id}/pickups", response=list[PickupOut])
def return_pickups(request, return_id: int = Path(..., ge=1, le=MAX_ID)):
    """The return's pickup bookings, newest first (the buyer)."""
    ret = pickup_selectors.return_for_buyer(user=request.auth, return_id=return_id)
    return [pickup_out(b) for b in pickup_selectors.bookings_for_return(ret.pk)]


@router.post("/returns/{return_id}/pickups", response={201: PickupOut})
def book(request, payload: BookIn, return_id: int = Path(..., ge=1, le=MAX_ID)):
    """Book a doorstep pickup for an approved return."""
    ret = pickup_selectors.return_for_buyer(user=request.auth, return_id=return_id)
    booking = pickup.book_pickup(
        request=ret, buyer=request.auth, starts_at=payload.starts_at
    )
    return 201, pickup_out(
        pickup_selectors.booking_for_buyer(user=request.auth, booking_id=booking.pk)
    )


@router.post("/pickups/{booking_id}/cancel", response=PickupOut)
def cancel(request, booking_id: int = Path(..., ge=1, le=MAX_ID)):
    """Cancel a pickup before its window starts."""
    booking = pickup_selectors.booking_for_buyer(
        user=request.auth, booking_id=booking_id
    )
    pickup.cancel_pickup(booking=booking, buyer=request.auth)
    return pickup_out(
        pickup_selectors.booking_for_buyer(user=request.auth, booking_id=booking_id)
    )


@router.post("/pickups/{booking_id}/rebook", response={201: PickupOut})
def rebook(request, payload: BookIn, booking_id: int = Path(..., ge=1, le=MAX_ID)):
    """Move a pickup to another window (a new booking; the old one cancelled)."""
    booking = pickup_selectors.booking_for_buyer(
        user=request.auth, booking_id=booking_id
    )
    moved = pickup.rebook_pickup(
        booking=booking, buyer=request.auth, starts_at=payload.starts_at
    )
    return 201, pickup_out(
        pickup_selectors.booking_for_buyer(user=request.auth, booking_id=moved.pk)
    )


@router.post("/pickups/{booking_id}/scans", response=PickupOut)
def scan(request, payload: ScanIn, booking_id: int = Path(..., ge=1, le=MAX_ID)):
    """The sandbox courier's scan (operators only; stands in for a courier's
    webhook)."""
    booking = pickup_selectors.booking_for_operator(
        user=request.auth, booking_id=booking_id
    )
    if payload.description or payload.place:
        pickup.record_pickup_scan(
            booking=booking,
            status=payload.status,
            description=payload.description,
            place=payload.place,
            actor=request.auth,
        )
    else:
        pickup_sandbox.emit_scan(booking, payload.status, actor=request.auth)
    return pickup_out(
        pickup_selectors.booking_for_operator(user=request.auth, booking_id=booking_id)
    )
