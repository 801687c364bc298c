"""What the ORM's per-execution compilation costs, and what CompiledQuery saves.

    .venv/bin/python benchmarks/orm_compile.py [--calls 3000] [--postgres URL]

One indexed one-row read (the buyer's cart) and one joined read (a SKU with
its product and shop, as checkout reads it), each run three ways on the same
connection: the ORM queryset, the same queryset compiled once
(``emporia.infra.sql.CompiledQuery``, model instances included), and the
same SQL on a bare cursor (tuples only: the floor). Reported: CPU microseconds per call of the
calling thread (``time.thread_time``); the database's own work is inside it
on SQLite, in another process on PostgreSQL.
"""

from __future__ import annotations

import os
import time

from common import base_args, database, report, seed

SEED = """
from decimal import Decimal
from emporia.core.accounts.models import Shop, User
from emporia.core.catalog.models import Category, Product, Sku
from emporia.core.checkout.models import Cart
u = User.objects.create_user(email="x@bench.test", password=None, display_name="X")
Cart.objects.create(user=u)
shop = Shop.objects.create(name="Bench", slug="bench")
cat = Category.objects.create(slug="c", names={"en": "C"}, path="/")
p = Product.objects.create(shop=shop, category=cat, slug="p", names={"en": "P"}, status="listed")
s = Sku.objects.create(product=p, code="A", price=Decimal("9.90"))
print(json.dumps({"user": u.pk, "sku": s.pk}))
"""


def per_call_us(func, calls: int) -> float:
    for _ in range(min(200, calls)):
        func()
    t = time.thread_time()
    for _ in range(calls):
        func()
    return round((time.thread_time() - t) / calls * 1e6, 1)


def main():
    p = base_args(__doc__.splitlines()[0])
    p.add_argument("--calls", type=int, default=3000)
    args = p.parse_args()
    with database(args.postgres) as env:
        data = seed(env, SEED)
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "emporia.config.settings"
        import django

        django.setup()
        from django.db import connection

        from emporia.core.catalog.models import Sku
        from emporia.core.checkout.models import Cart
        from emporia.infra.sql import CompiledQuery

        cases = {
            "cart of a user": (
                lambda user_id: Cart.objects.filter(user_id=user_id).order_by("pk")[:1],
                "user_id",
                data["user"],
            ),
            "sku with product and shop": (
                lambda sku_id: Sku.objects.select_related("product__shop").filter(
                    pk=sku_id
                ),
                "sku_id",
                data["sku"],
            ),
        }
        figures = {}
        for name, (build, param, value) in cases.items():
            compiled = CompiledQuery(build, **{param: int})
            sql, params = build(value).query.sql_with_params()

            def bare(sql=sql, params=params):
                with connection.cursor() as cur:
                    cur.execute(sql, params)
                    return cur.fetchall()

            figures[name] = {
                "orm_us": per_call_us(lambda b=build, v=value: list(b(v)), args.calls),
                "compiled_us": per_call_us(
                    lambda c=compiled, p=param, v=value: c.all(**{p: v}), args.calls
                ),
                "cursor_us": per_call_us(bare, args.calls),
            }
        connection.close()
    report(
        "orm_compile",
        {
            "database": "postgresql" if args.postgres else "sqlite",
            "calls": args.calls,
            "cpu_per_call": figures,
        },
        args.json,
    )


if __name__ == "__main__":
    main()
