"""Demo for C2C ratings, seller credit and the growth center: six weeks of
visitors and trades at the two individual shops, rated by their buyers
(mostly good, a few neutral or bad, some answered by the seller; the
product and shop reviews of the core come with each rating), so the
shop pages show hearts and detailed scores and the growth center has charts.

A third individual seller, a tea farmer (山野茶农), opens a shop in the same
category as 阿婆的茶园 (food) and sells with slower shipping and plainer
ratings, so the "against the category" comparison of both tea shops is a real
one (a shop alone in its category is always 0 % off its own average).

Everything goes through the services: checkout, the sandbox gateway,
shipping, receipt confirmation, ``c2c.services.credit`` and ``visits``.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.urls import resolve

from emporia.core.accounts import services as accounts
from emporia.core.catalog import services as catalog
from emporia.core.catalog.models import Product
from emporia.core.checkout import services as checkout
from emporia.core.fulfilment import services as fulfilment
from emporia.core.inventory import services as inventory
from emporia.core.orders import services as orders
from emporia.core.reviews import services as reviews
from emporia.infra.psp.sandbox import services as sandbox
from emporia.kernel.errors import DomainError
from emporia.modes.c2c.identity import id_check_char
from emporia.modes.c2c.services import credit, shops, visits

from . import people

SHOPS = ("apo-tea", "xiaolin")
DAYS = 42
# The tea farmer: same top-level category as apo-tea; verdict weights and
# the lowest detailed score per verdict (slower shipping, plainer tea).
FARMER = "tea-farmer"
FARMER_WEIGHTS = (70, 20, 10)
FARMER_LOW = {"good": 3, "neutral": 2, "bad": 1}
FARMER_TEAS = (
    ("高山绿茶 250g", "Mountain green tea 250 g", "68.00"),
    ("农家红茶 200g", "Farmhouse black tea 200 g", "45.00"),
)
TEXTS = {
    "good": (
        "包装很用心，东西很好",
        "Lovely, exactly as pictured",
        "回购了，一如既往的好",
    ),
    "neutral": ("还行吧，物流有点慢", "OK, but shipping was slow"),
    "bad": ("和描述不太一样", "Not as described"),
}
REPLIES = {
    "neutral": "抱歉让您久等了，我们会改进发货速度。",
    "bad": "非常抱歉，已联系您处理退换，谢谢反馈。",
}


def _trade(seeder, shop_key: str, buyer_key: str, serial: int, stall=None):
    """One completed trade; ``stall`` (skus, owner, carrier) for a shop that
    is not one of the story's."""
    w, rng, clock = seeder.world, seeder.rng, seeder.clock
    buyer = w.users[buyer_key]
    if stall is None:
        sku, _data, _top = rng.choice(w.skus[shop_key])
    else:
        sku = rng.choice(stall["skus"])
    placed = checkout.place_order(
        buyer=buyer,
        idempotency_key=f"demo-c2c-credit-{shop_key}-{serial}",
        lines=[checkout.WantedLine(sku.pk, 1)],
        address_id=w.addresses[buyer_key].pk,
    )
    clock.advance(minutes=rng.randint(2, 20))
    payment = placed.checkout.payment
    sandbox.pay(resolve(urlsplit(payment.redirect_url).path).kwargs["token"])
    order = placed.checkout.orders.get()
    order.refresh_from_db()
    clock.advance(hours=rng.choice((2, 6, 20, 30, 60)))
    if stall is None:
        owner, carrier = w.owners_by_shop_id[order.shop_id], w.carriers[order.shop_id]
    else:
        owner, carrier = stall["owner"], stall["carrier"]
    fulfilment.ship_order(
        order=order,
        by=owner,
        carrier=carrier,
        tracking_number=f"ZT{rng.randrange(10**11, 10**12)}",
    )
    clock.advance(hours=rng.randint(20, 50))
    order.refresh_from_db()
    return orders.confirm_receipt(order=order, buyer=buyer), owner


def _tea_farmer(seeder) -> dict | None:
    """An individual tea farmer's shop with two teas in stock, opened with
    identity details through the C2C shop service (None without the tea
    category)."""
    category = seeder.world.categories.get("tea")
    if category is None:
        return None
    owner = accounts.register_user(
        password="emporia-demo-2026",
        display_name="老陈",
        email="tea-farmer@emporia.test",
    )
    first17 = "35052419800615031"  # Anxi county, Fujian
    shop = shops.open_individual_shop(
        owner=owner,
        shop_name="山野茶农",
        real_name="陈国富",
        id_number=first17 + id_check_char(first17),
        mobile="13905950123",
        description="自家茶山，现采现制。",
    )
    location = inventory.create_location(
        shop=shop, actor=owner, code="home", name="茶山", city="泉州市"
    )
    skus = []
    for i, (zh, en, price) in enumerate(FARMER_TEAS):
        product = catalog.create_product(
            shop_id=shop.pk,
            by=owner,
            names={"zh-hans": zh, "en": en},
            category_id=category.pk,
            skus=[
                {
                    "code": f"farmer-{i}",
                    "attributes": {},
                    "price": price,
                    "currency": "CNY",
                }
            ],
        )
        catalog.set_product_status(
            product_id=product.pk, by=owner, status=Product.Status.LISTED
        )
        sku = product.skus.get()
        inventory.set_up_stock(
            shop=shop,
            sku_id=sku.pk,
            location_id=location.pk,
            quantity=100,
            reason="期初入库 Opening stock",
            ref=f"demo:farmer-{i}",
            actor=owner,
        )
        skus.append(sku)
    return {"shop": shop, "owner": owner, "skus": skus, "carrier": "YTO"}


def seed(seeder) -> None:
    w, rng, clock = seeder.world, seeder.rng, seeder.clock
    resume_at = clock()
    end = seeder.now - dt.timedelta(hours=6)
    buyers = [p.key for p in people.BUYERS if p.key in w.addresses]
    made = rated = 0
    clock.set(end - dt.timedelta(days=DAYS + 1))
    farmer = _tea_farmer(seeder)
    for shop_key in (*SHOPS, FARMER):
        stall = farmer if shop_key == FARMER else None
        shop = stall["shop"] if stall else w.shops.get(shop_key)
        if shop is None or not (stall or w.skus.get(shop_key)):
            continue
        for day in range(DAYS, 2, -1):
            clock.set(end - dt.timedelta(days=day, hours=rng.randint(0, 8)))
            for v in range(rng.randint(6, 18)):
                visits.record_visit(
                    shop_id=shop.pk, visitor=f"sdemo-{shop_key}-{day}-{v}"
                )
            if rng.random() > 0.6:
                continue
            buyer_key = rng.choice(buyers)
            visits.record_visit(
                shop_id=shop.pk,
                visitor=visits.visitor_key(user=w.users[buyer_key]),
                user=w.users[buyer_key],
            )
            try:
                order, owner = _trade(seeder, shop_key, buyer_key, day, stall)
            except DomainError:
                continue  # sold out: no trade that day
            made += 1
            weights, lows = (85, 10, 5), {"good": 4, "neutral": 3, "bad": 1}
            if stall:
                weights, lows = FARMER_WEIGHTS, FARMER_LOW
            verdict = rng.choices(("good", "neutral", "bad"), weights)[0]
            low = lows[verdict]
            scores = [rng.randint(low, 5) for _ in range(3)]
            text = rng.choice(TEXTS[verdict])
            clock.advance(hours=rng.randint(1, 48))
            credit.rate_trade(
                buyer=order.buyer,
                order_id=order.pk,
                verdict=verdict,
                text=text,
                description=scores[0],
                service=scores[1],
                logistics=scores[2],
                product_reviews=[
                    credit.ProductReviewIn(line.pk, scores[0], text)
                    for line in order.lines.all()
                ],
            )
            # the core's shop review too, as every completed demo order has
            reviews.review_shop(
                buyer=order.buyer, order_id=order.pk, rating=round(sum(scores) / 3)
            )
            rated += 1
            if verdict in REPLIES:
                clock.advance(hours=rng.randint(1, 12))
                credit.reply_to_rating(
                    user=owner, order_id=order.pk, text=REPLIES[verdict]
                )
    clock.set(max(resume_at, clock()))
    w.created["c2c_credit_trades"] = made
    w.created["c2c_trade_ratings"] = rated
