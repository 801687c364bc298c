"""Search with sponsored slots (C2C keyword ads) vs plain search, over HTTP.

    .venv/bin/python benchmarks/search_ads.py
    .venv/bin/python benchmarks/search_ads.py --postgres postgres://postgres@127.0.0.1:5432/postgres

The catalog benchmark's products (real Taobao titles when
``../shared/data/taobao-titles/titles.txt`` is there) with stock; every shop
runs a campaign on three products bidding on every query word, so each
search has ten competing ads. The same Chinese queries are measured with
``sponsored=0`` (no ads: the sources are not asked) and ``sponsored=3``
(matching, eligibility, auction, signed click links, batched impressions).
"""

from __future__ import annotations

import asyncio

import httpx
from catalog import QUERIES
from common import (
    TITLES,
    Latencies,
    base_args,
    database,
    hammer,
    product_titles,
    report,
    seed,
    server,
)

SEED = """
from decimal import Decimal
import datetime as dt, random, uuid
from emporia.core.accounts.models import Shop, ShopMember, User
from emporia.core.catalog.models import Category, Product, Sku
from emporia.core.inventory.models import Location, StockItem
from emporia.core.ledger import services as ledger
from emporia.core.search.services import reindex_all
from emporia.kernel.money import Money
from emporia.modes.c2c.ads import campaigns
titles = {titles!r}
queries = {queries!r}
rng = random.Random(7)
shops, owners = [], []
for i in range(10):
    shop = Shop.objects.create(name=f"Shop {{i}}", slug=f"s{{i}}")
    owner = User.objects.create_user(f"owner{{i}}@example.com", "pw", display_name=f"O{{i}}")
    ShopMember.objects.create(shop=shop, user=owner, role="owner")
    shops.append(shop); owners.append(owner)
root = Category.objects.create(slug="all", names={{"en": "All", "zh-hans": "全部"}}, path="/")
root.path = f"/{{root.pk}}/"; root.save()
cats = []
for i in range(10):
    c = Category.objects.create(slug=f"c{{i}}", parent=root, names={{"en": f"C{{i}}"}})
    c.path = f"{{root.path}}{{c.pk}}/"; c.save(); cats.append(c)
products = Product.objects.bulk_create([
    Product(shop=shops[i % 10], category=cats[i % 10], slug=f"p{{i}}",
            names={{"zh-hans": t, "en": f"Product {{i}}"}}, status="listed")
    for i, t in enumerate(titles)])
skus = Sku.objects.bulk_create([Sku(product=p, code="A", price=Decimal(rng.randint(500, 99900)) / 100)
                                for p in products])
locations = {{s.pk: Location.objects.create(shop=s, code="WH", name="WH") for s in shops}}
StockItem.objects.bulk_create([StockItem(sku=s, location=locations[s.product.shop_id], on_hand=1000)
                               for s in skus])
reindex_all()
for i, (shop, owner) in enumerate(zip(shops, owners)):
    ledger.post(key=f"bench:fund:{{shop.pk}}", kind="bench_funding", legs=[
        ledger.Leg.debit("platform:psp_clearing:CNY", Money(10**9, "CNY")),
        ledger.Leg.credit(f"shop:{{shop.pk}}:payable:CNY", Money(10**9, "CNY"))])
    mine = [p.pk for p in products if p.shop_id == shop.pk][:3]
    c = campaigns.create_campaign(shop_id=shop.pk, by=owner, name="bench",
        daily_budget=Money(10**8, "CNY"), start_date=dt.date(2000, 1, 1), product_ids=mine)
    for q in queries:
        campaigns.add_keyword(campaign_id=c.pk, by=owner, text=q,
            bid=Money(rng.randint(10, 300), "CNY"))
print(json.dumps({{"products": len(products)}}))
"""


async def run(url, seconds, concurrency):
    limits = httpx.Limits(max_connections=concurrency + 5)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        plain = [f"{url}/api/search/?q={q}&sponsored=0" for q in QUERIES]
        ads = [f"{url}/api/search/?q={q}&sponsored=3" for q in QUERIES]
        first = (await client.get(ads[0])).json()
        await hammer(client, plain + ads, 3, 8)  # warm-up
        figures = {
            "search_plain": await hammer(client, plain, seconds, concurrency),
            "search_with_ads": await hammer(client, ads, seconds, concurrency),
            "sponsored_slots_per_search": len(first["sponsored"]),
        }
        # single-client latency, no queueing: the cost of the ads per request
        for name, urls in (("plain_serial", plain), ("ads_serial", ads)):
            lat = Latencies()
            for _ in range(20):
                for u in urls:
                    t0 = asyncio.get_running_loop().time()
                    await client.get(u)
                    lat.add(asyncio.get_running_loop().time() - t0)
            figures[name] = lat.summary()
        return figures


def main():
    p = base_args(__doc__.splitlines()[0])
    p.add_argument("--products", type=int, default=2000)
    p.add_argument("--seconds", type=float, default=15)
    p.add_argument("--concurrency", type=int, default=20)
    args = p.parse_args()
    titles = product_titles(args.products, fallback=QUERIES)
    with database(args.postgres) as env:
        data = seed(env, SEED.format(titles=titles, queries=QUERIES))
        with server(
            env, workers=args.workers, threads=args.threads, kind=args.server
        ) as url:
            figures = asyncio.run(run(url, args.seconds, args.concurrency))
    figures.update(
        database="postgresql" if args.postgres else "sqlite",
        products=data["products"],
        concurrency=args.concurrency,
        workers=args.workers,
        threads=args.threads,
        titles="taobao-titles" if TITLES.exists() else "generated",
    )
    report("search_with_ads", figures, args.json)


if __name__ == "__main__":
    main()
