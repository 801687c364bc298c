"""HTTP API: group buying (拼团) — campaigns, groups, share links and the
fission report. Mounted at /api/social/groups/.

A group is reached by strangers only through its signed share link
(``links/{token}``); members see their own groups by ref.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from ninja import Field, Header, Query, Router, Schema

from emporia.core.accounts import selectors as accounts
from emporia.modes.social.models.shares import Channel
from emporia.modes.social.selectors import fission
from emporia.modes.social.selectors import groups as selectors
from emporia.modes.social.services import groups as services
from emporia.modes.social.services import shares
from emporia.modes.social.states import CampaignStatus

from .auth import AUTH
from .schemas import AddressIn, MoneyOut, money

router = Router(tags=["Group buying"])


class CampaignIn(Schema):
    shop_id: int = Field(..., gt=0, le=2**62, strict=True)
    sku_id: int = Field(..., gt=0, le=2**62, strict=True)
    group_price: str = Field(..., max_length=20, description="Major units, e.g. 19.90")
    team_size: int = Field(..., ge=2, le=services.MAX_TEAM, strict=True)
    window_minutes: int = Field(
        1440, ge=10, le=services.MAX_WINDOW_MINUTES, strict=True
    )
    stock_cap: int = Field(..., ge=1, le=services.MAX_STOCK_CAP, strict=True)
    per_buyer_limit: int = Field(1, ge=1, le=999, strict=True)
    title: str = Field("", max_length=120)


class CampaignOut(Schema):
    id: int
    shop_id: int
    sku_id: int
    product_id: int
    title: str
    status: str
    group_price: MoneyOut
    solo_price: MoneyOut
    team_size: int
    window_minutes: int
    stock_cap: int
    units_left: int
    per_buyer_limit: int


class StatusIn(Schema):
    status: CampaignStatus
    reason: str = Field("", max_length=200)


class MemberOut(Schema):
    name: str
    leader: bool
    you: bool


class GroupOut(Schema):
    ref: str
    campaign_id: int
    product_id: int
    product_name: str
    status: str
    size: int
    paid_count: int
    seats_left: int
    group_price: MoneyOut
    solo_price: MoneyOut
    expires_at: dt.datetime
    server_time: dt.datetime
    seconds_left: int
    members: list[MemberOut]


class OpenGroupOut(Schema):
    seats_left: int
    expires_at: dt.datetime
    link: str


class LinkOut(GroupOut):
    joinable: bool
    open_groups: list[OpenGroupOut]


class JoinIn(Schema):
    quantity: int = Field(1, ge=1, le=999, strict=True)
    address_id: int | None = Field(None, gt=0, le=2**62, strict=True)
    address: AddressIn | None = None


class StartIn(JoinIn):
    campaign_id: int = Field(..., gt=0, le=2**62, strict=True)


class PaymentOut(Schema):
    id: int
    status: str
    amount: MoneyOut
    redirect_url: str


class JoinOut(Schema):
    group: GroupOut
    order_id: int
    payment: PaymentOut | None


class ShareIn(Schema):
    channel: Channel


class ShareOut(Schema):
    id: int
    channel: str
    token: str
    url: str
    qr_url: str


class FunnelRowOut(Schema):
    channel: str
    shares: int
    visits: int
    joins: int
    purchases: int


class InviteChannelOut(Schema):
    """Platform-wide (invite rewards are platform money), over ``start``–``end``."""

    scope: str = "platform"
    start: dt.date
    end: dt.date
    invites: int
    rewarded: int
    cost: MoneyOut
    cac: MoneyOut | None


class ReportOut(Schema):
    campaign_id: int
    channels: list[FunnelRowOut]
    totals: FunnelRowOut
    buyers: int
    acquired_through_shares: int
    invites_per_buyer: str | None
    invite_conversion: str | None
    k_factor: str | None
    groups: dict[str, int]
    discount_given: MoneyOut
    group_cac: MoneyOut | None
    ad_cac: MoneyOut
    ad_cac_source: str
    invite_channel: InviteChannelOut


def campaign_out(c) -> dict:
    offer = selectors.offer_for(c)
    return {
        "id": c.pk,
        "shop_id": c.shop_id,
        "sku_id": c.sku_id,
        "product_id": c.sku.product_id,
        "title": c.title,
        "status": c.status,
        "group_price": offer.group_price.as_dict(),
        "solo_price": offer.solo_price.as_dict(),
        "team_size": c.team_size,
        "window_minutes": c.window_minutes,
        "stock_cap": c.stock_cap,
        "units_left": c.units_left,
        "per_buyer_limit": c.per_buyer_limit,
    }


def group_out(group, viewer=None) -> dict:
    v = selectors.group_view(group, viewer=viewer)
    return {
        "ref": group.ref,
        "campaign_id": group.campaign_id,
        "product_id": v["product_id"],
        "product_name": v["product_name"],
        "status": group.status,
        "size": group.size,
        "paid_count": group.paid_count,
        "seats_left": group.seats_left,
        "group_price": v["group_price"].as_dict(),
        "solo_price": v["solo_price"].as_dict(),
        "expires_at": group.expires_at,
        "server_time": v["now"],
        "seconds_left": v["seconds_left"],
        "members": [
            {"name": m["name"], "leader": m["leader"], "you": m["you"]}
            for m in v["members"]
        ],
    }


def link_path(token: str) -> str:
    return reverse("web:group_link", args=[token])


def _absolute(path: str) -> str:
    return settings.EMPORIA["PUBLIC_BASE_URL"].rstrip("/") + path


def _viewer(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _visitor(request) -> str:
    viewer = _viewer(request)
    if viewer is None and not request.session.session_key:
        request.session.save()
    return shares.visitor_key(
        user_id=viewer.pk if viewer else None,
        session_key=request.session.session_key,
    )


def _payment_out(p) -> dict | None:
    if p is None:
        return None
    return {
        "id": p.pk,
        "status": p.status,
        "amount": money(p.amount_minor, p.currency),
        "redirect_url": p.redirect_url,
    }


def _joined_out(joined, buyer) -> dict:
    return {
        "group": group_out(joined.member.group, buyer),
        "order_id": joined.member.order_id,
        "payment": _payment_out(joined.payment),
    }


@router.get("/campaigns", response=list[CampaignOut])
def list_campaigns(request, product_id: int = Query(..., gt=0, le=2**62)):
    """Group buys on a product's SKUs that are taking groups now."""
    return [campaign_out(o.campaign) for o in selectors.offers_for_product(product_id)]


@router.post("/campaigns", response={201: CampaignOut}, auth=AUTH)
def create_campaign(request, payload: CampaignIn):
    """Offer a SKU of your shop at a group price (shop staff only)."""
    shop = accounts.staff_shop(user=request.auth, shop_id=payload.shop_id)
    c = services.create_campaign(
        shop=shop,
        actor=request.auth,
        sku_id=payload.sku_id,
        group_price=payload.group_price,
        team_size=payload.team_size,
        window_minutes=payload.window_minutes,
        stock_cap=payload.stock_cap,
        per_buyer_limit=payload.per_buyer_limit,
        title=payload.title,
    )
    return 201, campaign_out(c)


@router.post("/campaigns/{campaign_id}/status", response=CampaignOut, auth=AUTH)
def set_status(request, campaign_id: int, payload: StatusIn, shop_id: int):
    """Pause, resume or end a campaign (shop staff only)."""
    c = selectors.campaign_for_staff(
        user=request.auth, shop_id=shop_id, campaign_id=campaign_id
    )
    services.set_campaign_status(
        campaign=c, status=payload.status, actor=request.auth, reason=payload.reason
    )
    return campaign_out(c)


@router.get("/campaigns/{campaign_id}/report", response=ReportOut, auth=AUTH)
def report(request, campaign_id: int, shop_id: int):
    """The share funnel, K-factor and cost per acquired buyer (shop staff)."""
    c = selectors.campaign_for_staff(
        user=request.auth, shop_id=shop_id, campaign_id=campaign_id
    )
    r = fission.campaign_report(c)

    def row(x):
        return {
            "channel": x.channel,
            "shares": x.shares,
            "visits": x.visits,
            "joins": x.joins,
            "purchases": x.purchases,
        }

    def text(d):
        return None if d is None else str(d)

    return {
        "campaign_id": c.pk,
        "channels": [row(x) for x in r.channels],
        "totals": row(r.totals),
        "buyers": r.buyers,
        "acquired_through_shares": r.acquired,
        "invites_per_buyer": text(r.invites_per_buyer),
        "invite_conversion": text(r.invite_conversion),
        "k_factor": text(r.k_factor),
        "groups": r.groups,
        "discount_given": r.discount_given.as_dict(),
        "group_cac": r.group_cac.as_dict() if r.group_cac else None,
        "ad_cac": r.ad_cac.as_dict(),
        "ad_cac_source": r.ad_cac_source,
        "invite_channel": {
            "scope": "platform",
            "start": r.invites.start,
            "end": r.invites.end,
            "invites": r.invites.invites,
            "rewarded": r.invites.rewarded,
            "cost": r.invites.cost.as_dict(),
            "cac": r.invites.cac.as_dict() if r.invites.cac else None,
        },
    }


@router.post("/start", response={201: JoinOut, 200: JoinOut}, auth=AUTH)
def start(
    request,
    payload: StartIn,
    idempotency_key: str = Header(..., alias="Idempotency-Key", max_length=90),
):
    """Start a group: pay the group price (the order is held until the group
    fills, refunded in full if it does not)."""
    joined = services.start_group(
        buyer=request.auth,
        campaign_id=payload.campaign_id,
        idempotency_key=idempotency_key,
        quantity=payload.quantity,
        address_id=payload.address_id,
        address=payload.address.dict() if payload.address else None,
    )
    return (200 if joined.replayed else 201), _joined_out(joined, request.auth)


@router.get("/links/{token}", response=LinkOut)
def open_link(request, token: str):
    """A share link: the group (members masked) and, when it cannot be joined,
    open groups of the same campaign. Counts one visit per visitor."""
    group, share = shares.read_token(token)
    shares.record_visit(share=share, visitor=_visitor(request))
    viewer = _viewer(request)
    out = group_out(group, viewer)
    joinable = group.status == "forming" and group.seats_left > 0
    alternatives = (
        []
        if joinable
        else selectors.open_groups(
            campaign_id=group.campaign_id, exclude_buyer=viewer, exclude_ref=group.ref
        )
    )
    out["joinable"] = joinable and out["seconds_left"] > 0
    out["open_groups"] = [
        {
            "seats_left": g.seats_left,
            "expires_at": g.expires_at,
            "link": link_path(shares.token_for(g)),
        }
        for g in alternatives
    ]
    return out


@router.post("/links/{token}/join", response={201: JoinOut, 200: JoinOut}, auth=AUTH)
def join(
    request,
    token: str,
    payload: JoinIn,
    idempotency_key: str = Header(..., alias="Idempotency-Key", max_length=90),
):
    """Join the group a share link names: pay the group price for a seat."""
    group, share = shares.read_token(token)
    joined = services.join_group(
        buyer=request.auth,
        group=group,
        share=share,
        idempotency_key=idempotency_key,
        quantity=payload.quantity,
        address_id=payload.address_id,
        address=payload.address.dict() if payload.address else None,
    )
    return (200 if joined.replayed else 201), _joined_out(joined, request.auth)


@router.get("/mine", response=list[GroupOut], auth=AUTH)
def mine(request):
    """Groups I started or joined, newest first."""
    seen, out = set(), []
    for m in selectors.groups_for_buyer(request.auth)[:100]:
        if m.group_id not in seen:
            seen.add(m.group_id)
            out.append(group_out(m.group, request.auth))
    return out


@router.get("/{ref}", response=GroupOut, auth=AUTH)
def my_group(request, ref: str):
    """One of my groups (404 for groups I have no seat in)."""
    return group_out(
        selectors.group_for_member(user=request.auth, ref=ref), request.auth
    )


@router.post("/{ref}/shares", response={201: ShareOut}, auth=AUTH)
def share(request, ref: str, payload: ShareIn):
    """Share my group on a channel: a signed link (and its QR poster) that
    attributes visits and joins to me."""
    group = selectors.group_for_member(user=request.auth, ref=ref)
    s = shares.share_group(group=group, sharer=request.auth, channel=payload.channel)
    token = shares.token_for(group, s)
    return 201, {
        "id": s.pk,
        "channel": s.channel,
        "token": token,
        "url": _absolute(link_path(token)),
        "qr_url": _absolute(reverse("web:group_qr", args=[token])),
    }
