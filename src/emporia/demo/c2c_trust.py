"""Demo for the C2C trust features on 小林手作, the demo's individual
handicraft shop: the owner verifies her identity (no business licence), and
her buyers' money moves through escrow. One dispute was ruled a partial
refund (the rest released), another waits in the operators' queue, one
buyer extended the release once, and one return has a courier booked at the
door. Time runs from six days ago so every order is in the past."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.urls import resolve

from emporia.core.checkout import services as checkout
from emporia.core.fulfilment import services as fulfilment
from emporia.core.reviews import services as reviews
from emporia.infra.psp.sandbox import services as sandbox
from emporia.kernel.money import Money
from emporia.modes.c2c.identity import id_check_char
from emporia.modes.c2c.selectors import pickup as pickup_selectors
from emporia.modes.c2c.services import disputes, escrow, pickup, shops

SHOP_KEY = "xiaolin"


def _id_number() -> str:
    first17 = "33010619920815004"  # Xihu, Hangzhou, born 1992-08-15
    return first17 + id_check_char(first17)


class _Story:
    def __init__(self, seeder):
        self.w, self.clock = seeder.world, seeder.clock
        self.shop = self.w.shops[SHOP_KEY]
        self.owner = self.w.owners_by_shop_id[self.shop.pk]
        self.skus = [sku for sku, _data, _top in self.w.skus[SHOP_KEY]]
        self.serial = 0

    def delivered(self, buyer_key: str, n: int):
        """An order of one unit of the shop's ``n``-th SKU, paid, shipped and
        delivered over two days."""
        self.serial += 1
        buyer = self.w.users[buyer_key]
        placed = checkout.place_order(
            buyer=buyer,
            idempotency_key=f"demo-c2c-trust-{self.serial}",
            lines=[checkout.WantedLine(self.skus[n % len(self.skus)].pk, 1)],
            address_id=self.w.addresses[buyer_key].pk,
        )
        self.clock.advance(minutes=7)
        payment = placed.checkout.payment
        sandbox.pay(resolve(urlsplit(payment.redirect_url).path).kwargs["token"])
        order = placed.checkout.orders.get()
        self.clock.advance(hours=5)
        shipment = fulfilment.ship_order(
            order=order,
            by=self.owner,
            carrier=self.w.carriers[self.shop.pk],
            tracking_number=f"ZTO77880{self.serial:05d}",
        )
        self.clock.advance(days=1, hours=20)
        fulfilment.record_tracking(
            shipment=shipment, status="delivered", description="已签收 Delivered"
        )
        order.refresh_from_db()
        return order


def seed(seeder) -> None:
    """Build the C2C trust demo through the mode's and the core's services."""
    story = _Story(seeder)
    clock, w = seeder.clock, seeder.world
    operator = w.users["operator"]
    clock.set(seeder.now - dt.timedelta(days=6))
    shops.verify_individual_shop(
        shop=story.shop,
        owner=story.owner,
        real_name="林小雨",
        id_number=_id_number(),
        mobile="13600136000",
    )

    # Not as described: answered, ruled a ¥10 refund, the rest released.
    order = story.delivered("buyer", 0)
    clock.advance(hours=3)
    dispute = disputes.open_dispute(
        order=order,
        buyer=order.buyer,
        reason="not_as_described",
        text="颜色比图片深很多。The colour is much darker than in the photos.",
    )
    clock.advance(hours=5)
    disputes.answer_dispute(
        dispute=dispute,
        by=story.owner,
        text="同一批材料，灯光下有色差，可以部分退款。Same material; the light differs.",
    )
    clock.advance(hours=20)
    disputes.rule_dispute(
        dispute=dispute,
        operator=operator,
        outcome="refund_partial",
        note="色差属实但不影响使用：退款 10 元，其余放款。Colour differs; ¥10 back.",
        refund=Money(min(1000, order.total_minor // 2), order.currency),
    )
    for line in order.lines.all():
        reviews.review_product(
            buyer=order.buyer, order_line_id=line.pk, rating=4, text="做工好，颜色偏深"
        )
    reviews.review_shop(
        buyer=order.buyer, order_id=order.pk, rating=4, text="处理纠纷很耐心"
    )

    # Never arrived: open, waiting in the operators' queue.
    order = story.delivered("chen", 1)
    clock.advance(hours=2)
    disputes.open_dispute(
        order=order,
        buyer=order.buyer,
        reason="not_received",
        text="物流显示签收，但我没有收到。Marked delivered but nothing came.",
    )

    # The buyer is travelling: the automatic release is extended once.
    others = [k for k in w.addresses if k not in ("buyer", "chen")]
    order = story.delivered(others[0] if others else "buyer", 2)
    escrow.extend_release(order=order, buyer=order.buyer)

    # A return with a courier booked at the door for tomorrow.
    clock.set(seeder.now - dt.timedelta(days=2, hours=12))
    order = story.delivered("buyer", 1)
    request = fulfilment.request_return(
        order=order,
        buyer=order.buyer,
        lines=[(order.lines.get().pk, 1)],
        reason="尺码偏小 Too small",
    )
    fulfilment.approve_return(request=request, by=story.owner)
    clock.advance(hours=1)
    window = next(
        w
        for w in pickup_selectors.offered_windows(request=request)
        if w.starts_at > seeder.now
    )
    pickup.book_pickup(request=request, buyer=order.buyer, starts_at=window.starts_at)
    w.created["c2c verified shops"] = 1
    w.created["c2c disputes"] = 2
