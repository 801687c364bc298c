"""Flash sale: one SKU with 100 units, 2,000 concurrent attempts over HTTP.

    .venv/bin/python benchmarks/flash_sale.py
    .venv/bin/python benchmarks/flash_sale.py --postgres postgres://postgres@127.0.0.1:5432/postgres

Every attempt is a different buyer placing an order for one unit. Afterwards
the database is checked: exactly as many orders as units, nothing oversold,
the movement log consistent.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid

import httpx
from common import (
    SERVER_LOG,
    Latencies,
    base_args,
    database,
    report,
    seed,
    server,
)

SEED = """
from decimal import Decimal
from emporia.core.accounts import services as accounts
from emporia.core.accounts.models import Address, ApiToken, Shop, User
from emporia.core.catalog.models import Category, Product, Sku
from emporia.core.inventory.models import Location, StockItem, StockMovement
import hashlib, secrets
shop = Shop.objects.create(name="Flash shop", slug="flash")
cat = Category.objects.create(slug="flash", names={{"en": "Flash"}}, path="/")
loc = Location.objects.create(shop=shop, code="wh", name="Warehouse")
p = Product.objects.create(shop=shop, category=cat, slug="deal", names={{"en": "Deal"}},
                           status="listed")
s = Sku.objects.create(product=p, code="DEAL", price=Decimal("1.00"))
item = StockItem.objects.create(sku=s, location=loc, on_hand={units})
StockMovement.objects.create(stock_item=item, delta={units}, kind="receipt")
users = User.objects.bulk_create([User(email=f"f{{i}}@bench.test", display_name=f"F{{i}}",
                                       password="!") for i in range({attempts})])
Address.objects.bulk_create([Address(user=u, recipient="F", phone="13800000000",
                                     city="Shanghai", line1="1 Road") for u in users])
raws = [accounts.TOKEN_PREFIX + secrets.token_urlsafe(32) for _ in users]
ApiToken.objects.bulk_create([ApiToken(user=u, name="b", prefix=r[:12],
    key_hash=hashlib.sha256(r.encode()).hexdigest()) for u, r in zip(users, raws)])
addr = {{a.user_id: a.pk for a in Address.objects.all()}}
print(json.dumps({{"sku": s.pk, "buyers": [[r, addr[u.pk]] for u, r in zip(users, raws)]}}))
"""

CHECK = """
from emporia.core.inventory.models import StockItem
from emporia.core.orders.models import Order
item = StockItem.objects.get()
moves = sum(item.movements.values_list("delta", flat=True))
print(json.dumps({{"orders": Order.objects.count(), "on_hand": item.on_hand,
                  "reserved": item.reserved, "movements_sum": moves}}))
"""


async def attempt(client, url, sku, token, address, sem, lat, counts):
    async with sem:
        t0 = time.perf_counter()
        try:
            r = await client.post(
                f"{url}/api/checkout/place",
                json={"lines": [{"sku_id": sku, "quantity": 1}], "address_id": address},
                headers={
                    "Authorization": f"Bearer {token}",
                    "Idempotency-Key": uuid.uuid4().hex,
                },
            )
        except httpx.TransportError as exc:  # counted, not fatal: see operators.md
            key = type(exc).__name__
            if os.environ.get("BENCH_ERRORS"):
                print(f"{time.time():.3f} {key}: {exc!r}", file=sys.stderr)
        else:
            key = r.status_code
            lat.add(time.perf_counter() - t0)
        counts[key] = counts.get(key, 0) + 1


async def run(url, data, concurrency):
    lat, counts = Latencies(), {}
    sem = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency + 5)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        t0 = time.perf_counter()
        await asyncio.gather(
            *[
                attempt(client, url, data["sku"], tok, addr, sem, lat, counts)
                for tok, addr in data["buyers"]
            ]
        )
        wall = time.perf_counter() - t0
    return {
        "attempts": len(data["buyers"]),
        "wall_s": round(wall, 2),
        "attempts_per_s": round(len(data["buyers"]) / wall, 1),
        "responses": {str(k): v for k, v in sorted(counts.items(), key=str)},
        "latency": lat.summary(),
    }


def main():
    p = base_args(__doc__.splitlines()[0])
    p.add_argument("--units", type=int, default=100)
    p.add_argument("--attempts", type=int, default=2000)
    p.add_argument("--concurrency", type=int, default=50)
    args = p.parse_args()
    with database(args.postgres) as env:
        data = seed(env, SEED.format(units=args.units, attempts=args.attempts))
        with server(
            env, workers=args.workers, threads=args.threads, kind=args.server
        ) as url:
            figures = asyncio.run(run(url, data, args.concurrency))
        figures["after"] = seed(env, CHECK.format())
    figures["oversold"] = max(0, figures["after"]["orders"] - args.units)
    figures.update(
        server_log=dict(SERVER_LOG),
        database="postgresql" if args.postgres else "sqlite",
        units=args.units,
        concurrency=args.concurrency,
        workers=args.workers,
        threads=args.threads,
    )
    report("flash_sale", figures, args.json)


if __name__ == "__main__":
    main()
