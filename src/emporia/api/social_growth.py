"""HTTP API: social commerce — invite rewards (邀请有礼) and the orchard game
(多多果园). Two routers, mounted at /api/social/invites/ and
/api/social/orchard/. Every endpoint acts for the signed-in buyer only;
another buyer's tree or browse token is a 404. Operators manage prizes and
read the per-day invite figures.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from emporia.kernel.errors import NotFound, ValidationFailed
from emporia.modes.social.selectors import invites as invite_selectors
from emporia.modes.social.selectors import orchard as orchard_selectors
from emporia.modes.social.services import invites as invite_services
from emporia.modes.social.services import orchard as orchard_services

from .auth import AUTH

invites_router = Router(tags=["Social: invites"], auth=AUTH)
orchard_router = Router(tags=["Social: orchard"], auth=AUTH)


def _operator(request) -> None:
    if not request.auth.is_operator:
        raise NotFound(_("Not found"))


# --- invites -------------------------------------------------------------------


class CodeIn(Schema):
    code: str = Field(..., min_length=4, max_length=20)


class StatsQuery(Schema):
    start: dt.date
    end: dt.date
    currency: str = Field("CNY", min_length=3, max_length=3)


@invites_router.get("me")
def my_invites(request):
    """My invite code and link, the people I invited (a blocked invite says
    only "blocked" — not eligible), my credit balance and its ledger lines."""
    page = invite_selectors.invite_page(user=request.auth)
    return {
        "code": page.code,
        "link": request.build_absolute_uri(page.path),
        "balance": page.balance.as_dict(),
        "reward": page.reward.as_dict(),
        "daily_cap": page.daily_cap,
        "total_cap": page.total_cap,
        "invitees": [
            {
                "name": r.name,
                "joined_at": r.joined_at,
                "status": r.status,
                "reward": r.reward.as_dict() if r.reward else None,
            }
            for r in page.invitees
        ],
        "lines": [
            {
                "occurred_at": line.occurred_at,
                "kind": line.kind,
                "memo": line.memo,
                "credit": line.credit.as_dict(),
                "debit": line.debit.as_dict(),
            }
            for line in page.lines
        ],
    }


@invites_router.post("code", response={201: dict})
def enter_code(request, payload: CodeIn):
    """Type in an inviter's code (within the first days after signing up)."""
    invite = invite_services.enter_invite_code(user=request.auth, code=payload.code)
    return Status(201, {"status": invite.status, "bound_at": invite.bound_at})


@invites_router.get("stats")
def invite_stats(request, q: Query[StatsQuery]):
    """Per day: invitees bound, rewards paid and refused, reward cost
    (operators only; at most 366 days)."""
    _operator(request)
    if q.end < q.start or (q.end - q.start).days > 366:
        raise ValidationFailed(_("Give a range of at most 366 days"), field="end")
    return {
        "days": [
            {
                "day": d.day,
                "invites": d.invites,
                "rewarded": d.rewarded,
                "blocked": d.blocked,
                "cost": d.cost.as_dict(),
            }
            for d in invite_selectors.invite_stats(
                start=q.start, end=q.end, currency=q.currency.upper()
            )
        ],
        "blocked_reasons": invite_selectors.blocked_reasons(start=q.start, end=q.end),
    }


# --- orchard -------------------------------------------------------------------


class PrizeIn(Schema):
    sku_id: int = Field(..., gt=0, strict=True)
    is_active: bool = True


class PlantIn(Schema):
    prize_id: int = Field(..., gt=0, strict=True)


class ShareIn(Schema):
    channel: str = Field("link", pattern=r"^(wechat|weibo|qq|link|poster)$")


class ClaimIn(Schema):
    address_id: int = Field(..., gt=0, strict=True)


def _prize(p) -> dict:
    return {"id": p.id, "sku_id": p.sku_id, "product_id": p.product_id, "name": p.name}


def _tree(t) -> dict | None:
    if t is None:
        return None
    return {
        "id": t.id,
        "prize": _prize(t.prize),
        "water": t.water,
        "stage": t.stage,
        "next_stage": t.next_stage,
        "next_at": t.next_at,
        "ripe_at": t.ripe_at,
        "percent": t.percent,
        "ripe": t.ripe,
        "status": t.status,
        "prize_order_id": t.prize_order_id,
    }


def _watered(w) -> dict:
    return {
        "task": w.grant.task,
        "amount": w.grant.amount,
        "day": w.grant.day,
        "tree": _tree(orchard_selectors.tree_view(w.tree)),
    }


@orchard_router.get("")
def my_orchard(request):
    """My growing tree, today's tasks (done / per day), today's water against
    the daily cap, the fruit on offer and my recent water grants."""
    page = orchard_selectors.orchard_page(user=request.auth)
    return {
        "tree": _tree(page.tree),
        "tasks": [
            {"task": t.task, "water": t.water, "done": t.done, "per_day": t.per_day}
            for t in page.tasks
        ],
        "water_today": page.water_today,
        "daily_cap": page.daily_cap,
        "browse_seconds": page.browse_seconds,
        "prizes": [_prize(p) for p in page.prizes],
        "grants": [
            {"task": g.task, "amount": g.amount, "day": g.day, "at": g.granted_at}
            for g in page.grants
        ],
        "past_trees": [_tree(t) for t in page.past_trees],
    }


@orchard_router.get("prizes")
def list_prizes(request):
    """The fruit a buyer can grow."""
    return [_prize(p) for p in orchard_selectors.prizes()]


@orchard_router.post("prizes", response={201: dict})
def offer_prize(request, payload: PrizeIn):
    """Offer a SKU as orchard fruit, or withdraw it (operators only)."""
    _operator(request)
    prize = orchard_services.offer_prize(
        sku_id=payload.sku_id, is_active=payload.is_active
    )
    return Status(201, {"id": prize.pk, "is_active": prize.is_active})


@orchard_router.post("trees", response={201: dict})
def plant(request, payload: PlantIn):
    """Plant a tree of one of the prizes (one growing tree at a time)."""
    tree = orchard_services.plant_tree(owner=request.auth, prize_id=payload.prize_id)
    return Status(201, _tree(orchard_selectors.tree_view(tree)))


@orchard_router.post("check-in")
def check_in(request):
    """Daily check-in: water once a day."""
    return _watered(orchard_services.check_in(owner=request.auth))


@orchard_router.post("share")
def share(request, payload: ShareIn):
    """I shared the orchard (capped per day)."""
    return _watered(
        orchard_services.claim_share(owner=request.auth, channel=payload.channel)
    )


@orchard_router.post("browse", response={201: dict})
def start_browse(request):
    """Start the browse task: claim with the token after ``seconds``."""
    visit = orchard_services.start_browse(owner=request.auth)
    return Status(
        201,
        {
            "token": visit.token,
            "started_at": visit.started_at,
            "seconds": orchard_selectors.browse_seconds_left(visit),
        },
    )


@orchard_router.post("browse/{token}/claim")
def claim_browse(request, token: str):
    """Claim the browse water (409 too_early before the time is up)."""
    if len(token) > 64:
        raise NotFound(_("No such browse task"))
    return _watered(orchard_services.claim_browse(owner=request.auth, token=token))


@orchard_router.post("trees/{tree_id}/claim", response={201: dict})
def claim_prize(request, tree_id: int, payload: ClaimIn):
    """Claim a ripe tree's fruit: a free order shipped to ``address_id``."""
    order = orchard_services.claim_prize(
        owner=request.auth, tree_id=tree_id, address_id=payload.address_id
    )
    return Status(
        201,
        {
            "order_id": order.pk,
            "number": order.number,
            "status": order.status,
            "total": order.total.as_dict(),
        },
    )
