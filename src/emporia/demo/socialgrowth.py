"""Demo of invite rewards (邀请有礼) and the orchard (多多果园).

Built through the services only: the demo buyer 小满 invites friends who sign
up through her link (two complete a first order and earn her credit, one is
still shopping, a second account on her own phone is refused, and a newcomer
typing their own code is refused); one of her friends invites a friend in
turn. Three buyers grow trees at different stages from two weeks of daily
tasks, and one has claimed her ripe tree's prize as a free order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid

from emporia.core.accounts import services as accounts
from emporia.core.checkout import services as checkout
from emporia.core.fulfilment import services as fulfilment
from emporia.core.orders import services as orders
from emporia.core.reviews import services as reviews
from emporia.infra.outbox.services import relay_pending
from emporia.infra.psp.sandbox import services as sandbox
from emporia.kernel.errors import Conflict
from emporia.modes.social.selectors import orchard as orchard_selectors
from emporia.modes.social.services import invites, orchard

from .people import DEMO_PASSWORD

INVITER_DEVICE = "demo-device-xiaoman-01"


def _sign_up(seeder, name: str, email: str, **context):
    seeder.clock.advance(minutes=seeder.rng.randint(5, 90))
    user = accounts.register_user(
        display_name=name,
        email=email,
        password=DEMO_PASSWORD,
        signup_context=context,
    )
    relay_pending()
    return user


def _first_order(seeder, buyer, sku, address: dict, payer: str) -> None:
    """A first order bought, paid, shipped, delivered and confirmed."""
    placed = checkout.place_order(
        buyer=buyer,
        idempotency_key=f"demo-invite-{uuid.uuid4().hex}",
        lines=[checkout.WantedLine(sku.pk, 1)],
        address=address,
    )
    payment = placed.checkout.payment
    token = payment.redirect_url.rstrip("/").rsplit("/", 1)[-1]
    seeder.clock.advance(minutes=5)
    sandbox.pay(token, card=sandbox.test_card(payer))
    order = placed.checkout.orders.get()
    order.refresh_from_db()
    owner = order.shop.members.first().user
    seeder.clock.advance(hours=6)
    shipment = fulfilment.ship_order(
        order=order, by=owner, carrier="顺丰速运", tracking_number=f"SF{order.pk:010d}"
    )
    seeder.clock.advance(days=1)
    fulfilment.record_tracking(
        shipment=shipment, status="delivered", description="已签收 Delivered"
    )
    order.refresh_from_db()
    orders.confirm_receipt(order=order, buyer=buyer)
    seeder.clock.advance(hours=2)
    for line in order.lines.order_by("pk"):
        reviews.review_product(
            buyer=buyer, order_line_id=line.pk, rating=5, text="朋友推荐的，果然不错！"
        )
    reviews.review_shop(
        buyer=buyer, order_id=order.pk, rating=5, text="发货快，包装好。"
    )
    relay_pending()


def _address(recipient: str, phone: str, line1: str) -> dict:
    return {
        "recipient": recipient,
        "phone": phone,
        "country": "CN",
        "province": "浙江省",
        "city": "杭州市",
        "district": "西湖区",
        "line1": line1,
        "postcode": "310000",
    }


def _invites(seeder, sku) -> None:
    w = seeder.world
    xiaoman = w.users["buyer"]
    invites.record_device(user=xiaoman, device_id=INVITER_DEVICE)
    code = invites.referral_code_for(user=xiaoman).code
    friends = [
        ("阿杰", "ajie", "13911110001", "文三路 100 号"),
        ("小雨", "xiaoyu", "13911110002", "天目山路 58 号"),
        ("大伟", "dawei", "13911110003", "学院路 12 号"),
    ]
    made = {}
    for name, key, _phone, _line1 in friends:
        made[key] = _sign_up(
            seeder,
            name,
            f"{key}@emporia.test",
            referral_code=code,
            device_id=f"demo-device-{key}-01",
        )
    for key in ("ajie", "xiaoyu"):
        name, _, phone, line1 = next(f for f in friends if f[1] == key)
        _first_order(
            seeder, made[key], sku, _address(name, phone, line1), f"wallet-{key}"
        )
    # A second account made on 小满's own phone: refused when it orders.
    alt = _sign_up(
        seeder,
        "满满小号",
        "xiaoman.alt@emporia.test",
        referral_code=code,
        device_id=INVITER_DEVICE,
    )
    _first_order(
        seeder, alt, sku, _address("王满", "13911110009", "文一路 9 号"), "wallet-alt"
    )
    # A newcomer who types in their own code: refused at once.
    selfish = _sign_up(seeder, "自己邀自己", "selfish@emporia.test")
    invites.enter_invite_code(
        user=selfish, code=invites.referral_code_for(user=selfish).code
    )
    # 阿杰 passes the link on: the invite tree grows a second level.
    _sign_up(
        seeder,
        "阿杰的同学",
        "ajie.friend@emporia.test",
        referral_code=invites.referral_code_for(user=made["ajie"]).code,
        device_id="demo-device-ajie-friend",
    )


def _try(action, **kwargs) -> None:
    # Done for today, or the tree is ripe: refused as a real buyer would be.
    with contextlib.suppress(Conflict):
        action(**kwargs)


def _water_days(seeder, buyer, days: int) -> None:
    """``days`` days of check-in, three shares and browsing, up to today."""
    start = seeder.clock.current
    for back in range(days, 0, -1):
        seeder.clock.set(start - dt.timedelta(days=back))
        _try(orchard.check_in, owner=buyer)
        for _ in range(3):
            _try(orchard.claim_share, owner=buyer)
        try:
            visit = orchard.start_browse(owner=buyer)
        except Conflict:
            continue
        seeder.clock.advance(seconds=35)
        _try(orchard.claim_browse, owner=buyer, token=visit.token)
    seeder.clock.set(start)


def _orchards(seeder, skus) -> None:
    w = seeder.world
    prizes = [orchard.offer_prize(sku_id=sku.pk) for sku in skus]
    plan = [("chen", 13, True), ("li", 6, False), ("zhang", 1, False)]
    for n, (key, days, claim) in enumerate(plan):
        buyer = w.users[key]
        start = seeder.clock.current
        seeder.clock.set(start - dt.timedelta(days=days + 1))
        orchard.plant_tree(owner=buyer, prize_id=prizes[n % len(prizes)].pk)
        seeder.clock.set(start)
        _water_days(seeder, buyer, days)
        if claim:
            tree = orchard_selectors.orchard_page(user=buyer).tree
            orchard.claim_prize(
                owner=buyer, tree_id=tree.id, address_id=w.addresses[key].pk
            )
            orchard.plant_tree(owner=buyer, prize_id=prizes[1 % len(prizes)].pk)
    # The demo buyer has a seedling too, so her orchard page is not empty.
    orchard.plant_tree(owner=w.users["buyer"], prize_id=prizes[0].pk)


def seed(seeder) -> None:
    """Invite trees with rewarded, waiting and refused invitees; orchards at
    several stages; one claimed prize order."""
    food = [
        sku
        for skus in seeder.world.skus.values()
        for sku, _data, top in skus
        if top == "food"
    ]
    if not food:
        return
    start = seeder.clock.current
    # The invites happened over the last fortnight (orders are never placed
    # in the future); the orchards are watered up to today.
    seeder.clock.set(seeder.now - dt.timedelta(days=14))
    _invites(seeder, food[0])
    seeder.clock.set(start)
    _orchards(seeder, food[:3])
