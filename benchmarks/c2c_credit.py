"""C2C seller credit reads over HTTP with 100,000 trade ratings: latency of
the public credit summary (points, level, detailed scores against the
category) and of a shop's growth figures.

    .venv/bin/python benchmarks/c2c_credit.py
    .venv/bin/python benchmarks/c2c_credit.py --postgres postgres://postgres@127.0.0.1:5432/postgres

Ratings are spread over 200 shops in 10 top-level categories and 360 days,
one shop holding 10% of them (a "crown" seller). A shop's own figures are
computed per request; the category averages come from the daily
``CategoryScoreDay`` rows the server's job scheduler writes at start.
"""

from __future__ import annotations

import asyncio
import random
import time

import httpx
from common import Latencies, base_args, database, hammer, report, seed, server

SEED = """
import datetime as dt, random
from decimal import Decimal
from django.db import transaction
from emporia.core.accounts.models import Shop, User
from emporia.core.catalog.models import Category
from emporia.core.orders.models import Order
from emporia.modes.c2c.models import TradeRating
from emporia.kernel import clock
rng = random.Random(11)
n = {ratings}
now = clock.now()
with transaction.atomic():
    cats = []
    for i in range(10):
        c = Category.objects.create(slug=f"c{{i}}", names={{"en": f"C{{i}}"}})
        c.path = f"/{{c.pk}}/"; c.save(); cats.append(c)
    shops = Shop.objects.bulk_create(
        [Shop(name=f"Shop {{i}}", slug=f"s{{i}}", kind="individual") for i in range(200)])
    buyers = User.objects.bulk_create(
        [User(email=f"b{{i}}@example.com", display_name=f"B{{i}}") for i in range(2000)])
    big = shops[0]
    for start in range(0, n, 10000):
        size = min(10000, n - start)
        orders, ratings = [], []
        for k in range(start, start + size):
            shop = big if k % 10 == 0 else shops[1 + k % 199]
            at = now - dt.timedelta(days=rng.randint(0, 360), minutes=rng.randint(0, 1439))
            orders.append(Order(number=f"B{{k:08d}}", buyer=buyers[k % 2000], shop=shop,
                currency="CNY", items_minor=1000, total_minor=1000,
                commission_rate=Decimal("0.05"), shipping_address={{}}, status="completed",
                placed_at=at, paid_at=at, completed_at=at))
        Order.objects.bulk_create(orders)
        for o in orders:
            v = rng.choices(("good", "neutral", "bad"), (90, 7, 3))[0]
            ratings.append(TradeRating(order=o, shop=o.shop, buyer=o.buyer, verdict=v,
                description_score=rng.randint(3, 5), service_score=rng.randint(3, 5),
                logistics_score=rng.randint(3, 5), trade_day=o.placed_at.date(),
                category_id=cats[o.shop_id % 10].pk, rated_at=o.placed_at, scores=False))
        TradeRating.objects.bulk_create(ratings)
    # the first rating of each (shop, buyer, day) scores, as the service would mark it
    seen = set()
    first = []
    for pk, s, b, d in TradeRating.objects.order_by("rated_at", "pk").values_list(
            "pk", "shop_id", "buyer_id", "trade_day").iterator():
        if (s, b, d) not in seen:
            seen.add((s, b, d)); first.append(pk)
    for i in range(0, len(first), 5000):
        TradeRating.objects.filter(pk__in=first[i:i + 5000]).update(scores=True)
from emporia.core.accounts import services as accounts
from emporia.core.accounts.models import ShopMember
owner = User.objects.create_user("owner@example.com", "x", display_name="Owner")
ShopMember.objects.create(shop=big, user=owner, role="owner")
_, token = accounts.create_api_token(user=owner, name="bench")
print(json.dumps({{"shops": [s.pk for s in shops], "big": big.pk, "token": token}}))
"""


async def serial(client, urls, n):
    lat, rng = Latencies(), random.Random(2)
    for _ in range(n):
        t0 = time.perf_counter()
        r = await client.get(rng.choice(urls))
        lat.add(time.perf_counter() - t0)
        assert r.status_code == 200, r.text
    return lat.summary()


async def run(url, data, seconds, concurrency):
    limits = httpx.Limits(max_connections=concurrency + 5)
    auth = {"Authorization": f"Bearer {data['token']}"}
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        credit = [f"{url}/api/c2c/credit/shops/{s}" for s in data["shops"]]
        big = [f"{url}/api/c2c/credit/shops/{data['big']}"]
        growth = [f"{url}/api/c2c/credit/shops/{data['big']}/growth?days=30"]
        await hammer(client, credit, 3, 8)  # warm-up
        return {
            # one client, one request at a time: the cost of a request
            # without queueing, less sensitive to a busy machine
            "credit_any_shop_serial": await serial(client, credit, 200),
            "credit_big_shop_serial": await serial(client, big, 100),
            "credit_any_shop": await hammer(client, credit, seconds, concurrency),
            "credit_big_shop": await hammer(client, big, seconds, concurrency),
            "growth_big_shop": await hammer(client, growth, seconds, 4, auth),
        }


def main():
    p = base_args(__doc__.splitlines()[0])
    p.add_argument("--ratings", type=int, default=100_000)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--concurrency", type=int, default=16)
    args = p.parse_args()
    with database(args.postgres) as env:
        started = time.perf_counter()
        data = seed(env, SEED.format(ratings=args.ratings))
        seeded = time.perf_counter() - started
        with server(
            env, workers=args.workers, threads=args.threads, kind=args.server
        ) as url:
            figures = asyncio.run(run(url, data, args.seconds, args.concurrency))
    figures.update(
        database="postgresql" if args.postgres else "sqlite",
        ratings=args.ratings,
        big_shop_ratings=args.ratings // 10,
        seed_seconds=round(seeded, 1),
        concurrency=args.concurrency,
        workers=args.workers,
        threads=args.threads,
    )
    report("c2c_credit_reads", figures, args.json)


if __name__ == "__main__":
    main()
