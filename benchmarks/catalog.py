"""Catalog reads and search over HTTP: requests/s and latency.

    .venv/bin/python benchmarks/catalog.py            # 2,000 products from real Taobao titles
    .venv/bin/python benchmarks/catalog.py --postgres postgres://postgres@127.0.0.1:5432/postgres

Products are made from ``../shared/data/taobao-titles/titles.txt`` when it is
there (real Chinese titles), otherwise from generated ones. Three endpoints
are measured at a fixed concurrency: product detail, category listing and
Chinese keyword search.
"""

from __future__ import annotations

import asyncio

import httpx
from common import (
    SERVER_LOG,
    TITLES,
    base_args,
    database,
    hammer,
    product_titles,
    report,
    seed,
    server,
)

QUERIES = [
    "连衣裙",
    "手机",
    "耳机",
    "茶叶",
    "男装",
    "儿童",
    "苹果",
    "蓝牙",
    "运动鞋",
    "化妆品",
]

SEED = """
from decimal import Decimal
import random
from emporia.core.accounts.models import Shop
from emporia.core.catalog.models import Category, Product, Sku
from emporia.core.search.services import reindex_all
titles = {titles!r}
rng = random.Random(7)
shops = [Shop.objects.create(name=f"Shop {{i}}", slug=f"s{{i}}") for i in range(10)]
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
Sku.objects.bulk_create([Sku(product=p, code="A", price=Decimal(rng.randint(500, 99900)) / 100)
                         for p in products])
reindex_all()
print(json.dumps({{"products": [p.pk for p in products], "categories": [c.pk for c in cats]}}))
"""


async def run(url, data, seconds, concurrency):
    limits = httpx.Limits(max_connections=concurrency + 5)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        detail = [f"{url}/api/catalog/products/{p}" for p in data["products"][:500]]
        listing = [
            f"{url}/api/catalog/products?category={c}&page={n}"
            for c in data["categories"]
            for n in (1, 2, 3)
        ]
        search = [f"{url}/api/search/?q={q}" for q in QUERIES]
        await hammer(client, detail + listing + search, 3, 8)  # warm-up
        return {
            "product_detail": await hammer(client, detail, seconds, concurrency),
            "category_listing": await hammer(client, listing, seconds, concurrency),
            "search_zh": await hammer(client, search, seconds, concurrency),
        }


def main():
    p = base_args(__doc__.splitlines()[0])
    p.add_argument("--products", type=int, default=2000)
    p.add_argument("--seconds", type=float, default=15)
    p.add_argument("--concurrency", type=int, default=20)
    args = p.parse_args()
    titles = product_titles(args.products, fallback=QUERIES)
    with database(args.postgres) as env:
        data = seed(env, SEED.format(titles=titles))
        with server(
            env, workers=args.workers, threads=args.threads, kind=args.server
        ) as url:
            figures = asyncio.run(run(url, data, args.seconds, args.concurrency))
    figures.update(
        server_log=dict(SERVER_LOG),
        database="postgresql" if args.postgres else "sqlite",
        products=args.products,
        concurrency=args.concurrency,
        workers=args.workers,
        threads=args.threads,
        titles="taobao-titles" if TITLES.exists() else "generated",
    )
    report("catalog_reads", figures, args.json)


if __name__ == "__main__":
    main()
