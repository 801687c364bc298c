"""Orders for the demo, each driven to its ending through the real services.

Every order is placed with ``checkout.place_order`` and paid by acting as the
buyer on the sandbox gateway (``sandbox.pay``), whose signed callback goes
through the platform's callback view, so every payment has its events and
ledger entries. Then shops ship, carriers scan, buyers confirm and review,
returns come back, jobs cancel what was not paid — all on a frozen clock that
walks each order's life somewhere in the last thirty days.

A plot is one checkout: who buys what, how long ago, and how its story ends.
Plots are drawn from a seeded random generator, so the demo is the same every
time it is loaded (only the dates move with today).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import resolve

from emporia.core.checkout import services as checkout
from emporia.core.fulfilment import services as fulfilment
from emporia.core.fulfilment.models import Shipment
from emporia.core.orders import services as orders
from emporia.core.orders.models import Order
from emporia.core.payments import services as payments
from emporia.core.payments.models import Payment
from emporia.core.reviews import services as reviews
from emporia.infra.jobs.services import run_job
from emporia.infra.psp.sandbox import services as sandbox
from emporia.kernel.clock import FrozenClock

# ending → (how many checkouts, placed between this many days ago)
ENDINGS: dict[str, tuple[int, tuple[float, float]]] = {
    "completed": (20, (8.0, 30.0)),
    "auto_completed": (3, (16.0, 29.0)),  # confirmed by the orders.auto_complete job
    "delivered": (5, (3.5, 6.5)),
    "shipped": (4, (1.3, 3.0)),
    "fulfilling": (3, (0.3, 1.2)),
    "paid": (4, (0.05, 0.9)),
    "held_after_payment": (1, (0.5, 2.0)),
    "held_for_approval": (1, (0.2, 1.0)),
    "refunded": (2, (3.0, 20.0)),  # the buyer cancelled after paying
    "refunded_by_shop": (1, (4.0, 18.0)),  # the shop could not deliver
    "partially_refunded": (2, (10.0, 25.0)),  # one unit came back
    "cancelled_unpaid": (3, (2.0, 28.0)),  # the orders.cancel_unpaid job
    "cancelled_declined": (1, (5.0, 25.0)),  # declined at the gateway, then timed out
    "awaiting_payment": (3, (0.002, 0.012)),
}

SHOP_WEIGHTS = {
    "yunshang": 3.0,
    "emporia-self": 3.0,
    "soundjoy": 2.0,
    "sakuraya": 1.5,
    "apo-tea": 1.5,
    "xiaolin": 1.0,
}

TRANSIT_HUBS = ("杭州转运中心", "武汉转运中心", "上海浦东分拨中心", "广州白云转运中心")

FIVE_STARS = {
    "clothing": (
        "面料很舒服，版型也好，穿上显瘦，和图片一样好看！",
        "尺码标准，做工精细，已经推荐给闺蜜了。",
        "颜色很正，上身效果超出预期，物流也快。",
    ),
    "electronics": (
        "音质清晰，降噪效果明显，地铁上终于清静了。",
        "做工扎实，续航很顶，用了一周非常满意。",
        "充电速度快，发热小，包装也很用心。",
    ),
    "food": (
        "茶香浓郁，回甘明显，已经回购第二次了。",
        "日期新鲜，包装严实，味道很正宗。",
        "口感很好，送人也很有面子。",
    ),
    "home": (
        "质感很好，手工的温度能感受到，非常喜欢。",
        "包装很仔细，一点磕碰都没有，实物比图片还好看。",
        "用起来很方便，家里人都说好。",
    ),
    "beauty": (
        "用了两周皮肤水润了很多，不油腻。",
        "温和不刺激，敏感肌也没问题，会回购。",
        "质地清爽，吸收快，性价比很高。",
    ),
}
FOUR_STARS = (
    "整体不错，物流稍慢了一点。",
    "东西挺好的，就是包装可以再加强。",
    "性价比可以，符合预期。",
)
THREE_STARS = ("一般般吧，和描述有点差距。", "还行，颜色和图片略有色差。")
SHOP_TEXTS = (
    "客服回复及时，发货速度快，好评！",
    "店家很贴心，还送了小礼物。",
    "包装用心，物流给力，下次还来。",
    "服务态度好，有问题马上处理。",
)


@dataclass(frozen=True)
class Plot:
    ending: str
    buyer: str  # a key of people.BUYERS
    days_ago: float
    shops: tuple[str, ...]  # one or two shops in the checkout
    lines: int  # how many different SKUs from the first shop


def plan(rng: random.Random, buyers: list[str]) -> list[Plot]:
    """The checkouts to stage, oldest first (those awaiting payment last, so
    the unpaid-order job never sees them)."""
    plots = []
    shops = list(SHOP_WEIGHTS)
    weights = list(SHOP_WEIGHTS.values())
    for ending, (count, (oldest, newest)) in ENDINGS.items():
        for i in range(count):
            # The demo buyer meets every ending; the demo seller's shop most.
            buyer = "buyer" if i == 0 else rng.choice(buyers)
            first = "yunshang" if i == 1 else rng.choices(shops, weights)[0]
            second = rng.choices(shops, weights)[0] if rng.random() < 0.15 else None
            lines = 2 if ending == "partially_refunded" else rng.choice((1, 1, 1, 2, 3))
            plots.append(
                Plot(
                    ending=ending,
                    buyer=buyer,
                    days_ago=round(rng.uniform(newest, oldest), 4),
                    shops=(first,) if second in (None, first) else (first, second),
                    lines=lines,
                )
            )
    plots.sort(key=lambda p: (p.ending == "awaiting_payment", -p.days_ago))
    return plots


class Timeline:
    """Walks a frozen clock forward by random steps, never past ``latest``."""

    def __init__(self, clock: FrozenClock, rng: random.Random, latest: dt.datetime):
        self.clock, self.rng, self.latest = clock, rng, latest

    def start(self, moment: dt.datetime) -> None:
        self.clock.set(min(moment, self.latest))

    def wait(self, lo: float, hi: float, unit: str = "hours") -> dt.datetime:
        step = dt.timedelta(**{unit: self.rng.uniform(lo, hi)})
        self.clock.set(
            max(self.clock.current, min(self.clock.current + step, self.latest))
        )
        return self.clock.current


class Stager:
    """Stages plots: places each checkout and walks its orders to the ending.

    ``world`` is the seeder's state (``seed.World``): users and addresses by
    key, shop owners and carriers by shop id, and the SKUs orders may pick
    from by shop key.
    """

    def __init__(self, world, rng: random.Random, clock: FrozenClock, now):
        self.w, self.rng, self.clock, self.now = world, rng, clock, now
        self.time = Timeline(clock, rng, now - dt.timedelta(minutes=1))
        self.serial = 0
        self.top_category: dict[int, str] = {}
        self.shop_key: dict[int, str] = {}

    # -- placing and paying --------------------------------------------------------
    def _lines(self, plot: Plot) -> list[checkout.WantedLine]:
        wanted: dict[int, int] = {}
        for n, shop in enumerate(plot.shops):
            choices = self.w.skus[shop]
            count = min(plot.lines if n == 0 else 1, len(choices))
            for sku, _data, top in self.rng.sample(choices, count):
                qty = self.rng.choices((1, 2, 3), (75, 20, 5))[0]
                if plot.ending == "partially_refunded":
                    qty = 2
                wanted[sku.pk] = qty
                self.top_category[sku.pk] = top
                self.shop_key[sku.pk] = shop
        return [checkout.WantedLine(sku_id, q) for sku_id, q in wanted.items()]

    def place(self, plot: Plot):
        self.serial += 1
        buyer = self.w.users[plot.buyer]
        self.time.start(self.now - dt.timedelta(days=plot.days_ago))
        placed = checkout.place_order(
            buyer=buyer,
            idempotency_key=f"demo-{self.serial:03d}",
            lines=self._lines(plot),
            address_id=self.w.addresses[plot.buyer].pk,
            note=self.rng.choice(("", "", "", "请尽快发货，谢谢", "不要放快递柜")),
        )
        return buyer, placed

    @staticmethod
    def _token(payment: Payment) -> str:
        return resolve(urlsplit(payment.redirect_url).path).kwargs["token"]

    def pay(self, placed) -> None:
        """Act as the buyer on the sandbox pay page; the callback must land."""
        self.time.wait(1, 20, "minutes")
        payment = placed.checkout.payment
        sandbox.pay(self._token(payment))
        payment.refresh_from_db()
        if payment.status != Payment.Status.SUCCEEDED:
            raise RuntimeError(
                f"The sandbox callback for {payment.reference} was not applied"
            )

    @staticmethod
    def _orders(placed) -> list[Order]:
        return list(placed.checkout.orders.order_by("pk"))

    # -- shipping --------------------------------------------------------------------
    def _owner(self, order: Order):
        return self.w.owners_by_shop_id[order.shop_id]

    def _tracking(self, carrier: str) -> str:
        prefix = {"顺丰速运": "SF", "京东物流": "JDX", "中通快递": "ZTO"}.get(
            carrier, "EM"
        )
        return f"{prefix}{self.rng.randrange(10**11, 10**12)}"

    def fulfil(self, order: Order) -> Order:
        self.time.wait(1, 5)
        return orders.start_fulfilment(order=order, actor=self._owner(order))

    def ship(self, order: Order) -> Shipment:
        self.time.wait(3, 18)
        carrier = self.w.carriers[order.shop_id]
        shipment = fulfilment.ship_order(
            order=order,
            by=self._owner(order),
            carrier=carrier,
            tracking_number=self._tracking(carrier),
        )
        self.time.wait(5, 12)
        fulfilment.record_tracking(
            shipment=shipment,
            status=Shipment.Status.IN_TRANSIT,
            description="快件已到达转运中心 Arrived at the sorting centre",
            place=self.rng.choice(TRANSIT_HUBS),
        )
        return shipment

    def deliver(self, order: Order, shipment: Shipment) -> Order:
        self.time.wait(18, 50)
        fulfilment.record_tracking(
            shipment=shipment,
            status=Shipment.Status.DELIVERED,
            description="已签收，签收人：本人 Delivered, signed by the recipient",
            place=order.shipping_address.get("city", ""),
        )
        return Order.objects.get(pk=order.pk)

    # -- after delivery --------------------------------------------------------------
    def review(self, order: Order) -> None:
        self.time.wait(0.5, 30)
        buyer = order.buyer
        for line in order.lines.order_by("pk"):
            rating = self.rng.choices((5, 4, 3), (75, 20, 5))[0]
            top = self.top_category.get(line.sku_id, "home")
            text = self.rng.choice(
                FIVE_STARS[top]
                if rating == 5
                else FOUR_STARS
                if rating == 4
                else THREE_STARS
            )
            reviews.review_product(
                buyer=buyer, order_line_id=line.pk, rating=rating, text=text
            )
        reviews.review_shop(
            buyer=buyer,
            order_id=order.pk,
            rating=self.rng.choices((5, 4), (85, 15))[0],
            text=self.rng.choice(SHOP_TEXTS),
        )

    def partially_return(self, order: Order, buyer) -> None:
        self.time.wait(20, 60)
        line = order.lines.order_by("pk").first()
        request = fulfilment.request_return(
            order=order,
            buyer=buyer,
            lines=[(line.pk, 1)],
            reason="买多了一件，退回一件 Bought one too many; returning one",
        )
        owner = self._owner(order)
        self.time.wait(1, 6)
        fulfilment.approve_return(request=request, by=owner)
        self.time.wait(4, 20)
        fulfilment.ship_return(
            request=request,
            by=buyer,
            carrier="顺丰速运",
            tracking_number=f"SF{self.rng.randrange(10**11, 10**12)}",
        )
        self.time.wait(24, 50)
        fulfilment.receive_return(request=request, by=owner)

    # -- one plot, start to end ------------------------------------------------------
    def stage(self, plot: Plot) -> list[Order]:
        buyer, placed = self.place(plot)
        ending = plot.ending
        if ending == "awaiting_payment":
            return self._orders(placed)
        if ending == "held_for_approval":
            self.time.wait(1, 10, "minutes")
            for order in self._orders(placed):
                orders.hold_order(order=order, reason="approval_pending")
            return self._orders(placed)
        if ending.startswith("cancelled"):
            if ending == "cancelled_declined":
                self.time.wait(2, 10, "minutes")
                sandbox.decline(self._token(placed.checkout.payment))
            deadline = max(o.pay_by for o in self._orders(placed))
            self.time.start(deadline + dt.timedelta(minutes=self.rng.uniform(1, 10)))
            run_job("orders.cancel_unpaid", runner="demo")
            return self._orders(placed)

        self.pay(placed)
        done = []
        for order in self._orders(placed):
            done.append(self._after_payment(order, buyer, ending))
        return done

    def _after_payment(self, order: Order, buyer, ending: str) -> Order:
        clock_at_payment = self.clock.current
        try:
            return self._walk(order, buyer, ending)
        finally:
            # Orders of one checkout live in parallel: each starts from payment.
            self.clock.set(clock_at_payment)

    def _walk(self, order: Order, buyer, ending: str) -> Order:
        if ending == "paid":
            return order
        if ending == "held_after_payment":
            self.time.wait(0.2, 3)
            return orders.hold_order(
                order=order,
                reason="risk_review",
                actor=self.w.users["operator"],
                actor_kind="operator",
            )
        if ending == "refunded":
            self.time.wait(0.3, 6)
            payments.cancel_and_refund(
                order=order,
                reason="买家取消：拍错了规格 Buyer cancelled: ordered the wrong variant",
                actor=buyer,
                actor_kind="buyer",
            )
            return Order.objects.get(pk=order.pk)
        order = self.fulfil(order)
        if ending == "fulfilling":
            return order
        if ending == "refunded_by_shop":
            self.time.wait(2, 8)
            payments.cancel_and_refund(
                order=order,
                reason="仓库缺货，商家取消并全额退款 Out of stock; cancelled and refunded",
                actor=self._owner(order),
                actor_kind="shop",
            )
            return Order.objects.get(pk=order.pk)
        shipment = self.ship(order)
        order = Order.objects.get(pk=order.pk)
        if ending == "shipped":
            return order
        order = self.deliver(order, shipment)
        if ending == "delivered":
            return order
        if ending == "partially_refunded":
            self.partially_return(order, buyer)
            return Order.objects.get(pk=order.pk)
        if ending == "auto_completed":
            self.time.start(order.auto_complete_at + dt.timedelta(minutes=5))
            run_job("orders.auto_complete", runner="demo")
        else:
            self.time.wait(12, 72)
            orders.complete_order(order=order, actor=buyer, actor_kind="buyer")
        order = Order.objects.get(pk=order.pk)
        self.review(order)
        return order
