"""End-to-end checkout over HTTP: cart → order → sandbox payment → paid.

    .venv/bin/python benchmarks/checkout.py --buyers 50 --orders 1000
    .venv/bin/python benchmarks/checkout.py --buyers 50 --orders 1000 \
        --postgres postgres://postgres@127.0.0.1:5432/postgres

Each simulated buyer loops: add a line to the cart, place the order with an
Idempotency-Key, pay on the sandbox gateway's hosted page, then wait until the
gateway's signed callback has marked the payment succeeded. Latency is
measured per paid order (first request to "paid"); throughput is paid orders
per second of wall time.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
from common import Latencies, base_args, database, report, seed, server

SEED = """
from decimal import Decimal
from emporia.core.accounts import services as accounts
from emporia.core.accounts.models import Shop, User
from emporia.core.catalog import services as catalog
from emporia.core.catalog.models import Category, Product, Sku
from emporia.core.inventory.models import Location, StockItem, StockMovement
shop = Shop.objects.create(name="Bench shop", slug="bench")
cat = Category.objects.create(slug="bench", names={{"en": "Bench"}}, path="/")
loc = Location.objects.create(shop=shop, code="wh", name="Warehouse")
skus = []
for i in range({skus}):
    p = Product.objects.create(shop=shop, category=cat, slug=f"p{{i}}",
                               names={{"en": f"Item {{i}}"}}, status="listed")
    s = Sku.objects.create(product=p, code=f"S{{i}}", price=Decimal("{price}"))
    item = StockItem.objects.create(sku=s, location=loc, on_hand={stock})
    StockMovement.objects.create(stock_item=item, delta={stock}, kind="receipt")
    skus.append(s.pk)
tokens = []
for i in range({buyers}):
    u = User.objects.create_user(email=f"b{{i}}@bench.test", password=None, display_name=f"B{{i}}")
    a = accounts.add_address(user=u, data={{"recipient": "Bench", "phone": "13800000000",
        "city": "Hangzhou", "line1": "1 Bench Road"}})
    _, raw = accounts.create_api_token(user=u, name="bench")
    tokens.append([raw, a.pk])
print(json.dumps({{"skus": skus, "buyers": tokens}}))
"""


async def buyer_loop(client, url, token, address_id, skus, quota, lat, counts, index):
    headers = {"Authorization": f"Bearer {token}"}
    n = 0
    while True:
        async with quota["lock"]:
            if quota["left"] <= 0:
                return
            quota["left"] -= 1
        sku = skus[(index + n) % len(skus)]
        n += 1
        t0 = time.perf_counter()
        r = await client.post(
            f"{url}/api/checkout/cart/lines",
            headers=headers,
            json={"sku_id": sku, "quantity": 1},
        )
        if r.status_code != 201:
            counts["errors"] += 1
            continue
        r = await client.post(
            f"{url}/api/checkout/place",
            json={"address_id": address_id},
            headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
        )
        if r.status_code != 201:
            counts["errors"] += 1
            continue
        payment = r.json()["payment"]
        r = await client.post(url + payment["redirect_url"], data={"action": "pay"})
        if r.status_code >= 400:
            counts["errors"] += 1
            continue
        for _ in range(2000):
            r = await client.get(f"{url}/api/payments/{payment['id']}", headers=headers)
            if r.json()["status"] == "succeeded":
                lat.add(time.perf_counter() - t0)
                counts["paid"] += 1
                break
            await asyncio.sleep(0.01)
        else:
            counts["unpaid"] += 1


async def run(url, data, buyers, orders):
    lat, counts = Latencies(), {"paid": 0, "errors": 0, "unpaid": 0}
    quota = {"left": orders, "lock": asyncio.Lock()}
    limits = httpx.Limits(
        max_connections=buyers + 10, max_keepalive_connections=buyers + 10
    )
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        t0 = time.perf_counter()
        await asyncio.gather(
            *[
                buyer_loop(client, url, tok, addr, data["skus"], quota, lat, counts, i)
                for i, (tok, addr) in enumerate(data["buyers"][:buyers])
            ]
        )
        wall = time.perf_counter() - t0
    return {
        "paid_orders": counts["paid"],
        "errors": counts["errors"],
        "never_paid": counts["unpaid"],
        "wall_s": round(wall, 2),
        "paid_orders_per_s": round(counts["paid"] / wall, 1),
        "latency": lat.summary(),
    }


def main():
    p = base_args(__doc__.splitlines()[0])
    p.add_argument("--buyers", type=int, default=50, help="concurrent buyers")
    p.add_argument("--orders", type=int, default=1000, help="paid orders to make")
    p.add_argument("--skus", type=int, default=20)
    args = p.parse_args()
    with database(args.postgres) as env:
        data = seed(
            env,
            SEED.format(skus=args.skus, price="19.90", stock=10**7, buyers=args.buyers),
        )
        with server(env, workers=args.workers, threads=args.threads) as url:
            # warm-up: a few orders so every worker has imported and connected
            asyncio.run(run(url, data, min(args.buyers, 8), 16))
            figures = asyncio.run(run(url, data, args.buyers, args.orders))
    figures.update(
        database="postgresql" if args.postgres else "sqlite",
        buyers=args.buyers,
        workers=args.workers,
        threads=args.threads,
    )
    report("checkout_e2e", figures, args.json)


if __name__ == "__main__":
    main()
