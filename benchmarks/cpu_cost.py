"""CPU cost and SQL queries per request on the hot paths, one request at a time.

    .venv/bin/python benchmarks/cpu_cost.py --rounds 200
    .venv/bin/python benchmarks/cpu_cost.py --rounds 200 \
        --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/cpu_cost.py --rounds 200 --profile place  # cProfile

Wall-clock throughput on a shared two-core machine measures the neighbours as
much as the code; the CPU time a request costs the server does not. This
benchmark calls the WSGI application in-process exactly as gunicorn does (an
environ in, a body iterated out; no sockets, no test client) and records, per
endpoint, the server thread's CPU milliseconds (``time.thread_time``) and
the number of SQL statements. The sandbox gateway's callback is delivered
in-process, so "pay + callback" is the whole cost of the gateway's pay page
and the platform's callback handling together.

CPU is not everything: a request also waits on the database (PostgreSQL's
work runs in another process, SQLite's inside this one) — the per-request
wall time is reported beside it.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
import uuid
from urllib.parse import urlencode, urlsplit

from common import (
    analyze,
    base_args,
    cpu_snapshot,
    database,
    product_titles,
    report,
    seed,
)
from django.db import connection

SEED = """
from decimal import Decimal
import random
from emporia.core.accounts import services as accounts
from emporia.core.accounts.models import Shop, User
from emporia.core.catalog.models import Category, Product, Sku
from emporia.core.inventory.models import Location, StockItem, StockMovement
from emporia.core.search.services import reindex_all
titles = {titles!r}
rng = random.Random(7)
shop = Shop.objects.create(name="Bench shop", slug="bench")
root = Category.objects.create(slug="all", names={{"en": "All"}}, path="/")
root.path = f"/{{root.pk}}/"; root.save()
loc = Location.objects.create(shop=shop, code="wh", name="Warehouse")
products = Product.objects.bulk_create([
    Product(shop=shop, category=root, slug=f"p{{i}}",
            names={{"zh-hans": t, "en": f"Product {{i}}"}}, status="listed")
    for i, t in enumerate(titles)])
skus = Sku.objects.bulk_create([
    Sku(product=p, code="A", price=Decimal(rng.randint(500, 99900)) / 100)
    for p in products])
for s in skus[:20]:
    item = StockItem.objects.create(sku=s, location=loc, on_hand=10**7)
    StockMovement.objects.create(stock_item=item, delta=10**7, kind="receipt")
reindex_all()
u = User.objects.create_user(email="b0@bench.test", password=None, display_name="B0")
a = accounts.add_address(user=u, data={{"recipient": "Bench", "phone": "13800000000",
    "city": "Hangzhou", "line1": "1 Bench Road"}})
_, raw = accounts.create_api_token(user=u, name="bench")
print(json.dumps({{"skus": [s.pk for s in skus[:20]],
                   "products": [p.pk for p in products[:500]],
                   "token": raw, "address": a.pk}}))
"""

QUERIES = ["连衣裙", "手机", "耳机", "茶叶", "男装", "儿童", "苹果", "蓝牙", "运动鞋"]


COUNTING_ROUNDS = 5


class Wsgi:
    """Call the WSGI application the way a server does, counting CPU and SQL."""

    def __init__(self, app, connection):
        self.app, self.connection = app, connection
        self.cpu, self.wall, self.queries = {}, {}, {}
        self.profiles = {}
        self.profile_step = None
        self.sql_step, self.sql, self._sql, self._step = None, {}, [], None
        self.counting = False

    def _count(self, execute, sql, params, many, context):
        self._n += 1
        if self._step == self.sql_step and self._step not in self.sql:
            self._sql.append(sql[:300])
        return execute(sql, params, many, context)

    def call(self, step, method, url, *, body=b"", headers=None, ctype=None):
        parts = urlsplit(url)
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": parts.path,
            "QUERY_STRING": parts.query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "CONTENT_LENGTH": str(len(body)),
        }
        if ctype:
            environ["CONTENT_TYPE"] = ctype
        for k, v in (headers or {}).items():
            environ["HTTP_" + k.upper().replace("-", "_")] = v
        status = []

        def request():
            result = self.app(environ, lambda s, h, exc=None: status.append(s))
            out = b"".join(result)
            if hasattr(result, "close"):
                result.close()
            return out

        out = self._timed(step, request)
        return int(status[0].split()[0]), out

    def measure(self, step, func):
        """Charge an in-process call (a job) like a request."""
        return self._timed(step, func)

    def _timed(self, step, func):
        # A counting round runs each statement through Django's cursor
        # wrapper (an execute_wrapper watches it), which the hot paths
        # otherwise skip (emporia.infra.sql._run): statements are counted in
        # their own rounds, CPU in rounds nobody watches.
        if self.counting:
            self._n, self._step, self._sql = 0, step, []
            with self.connection.execute_wrapper(self._count):
                result = func()
            if step == self.sql_step and step not in self.sql:
                self.sql[step] = self._sql
            self.queries.setdefault(step, []).append(self._n)
            return result
        prof = cProfile.Profile() if step == self.profile_step else None
        w0, c0 = time.perf_counter(), time.thread_time()
        if prof:
            prof.enable()
        result = func()
        if prof:
            prof.disable()
        c1, w1 = time.thread_time(), time.perf_counter()
        if prof:
            self.profiles.setdefault(step, []).append(prof)
        self.cpu.setdefault(step, []).append((c1 - c0) * 1000)
        self.wall.setdefault(step, []).append((w1 - w0) * 1000)
        return result

    def summary(self):
        def stats(xs):
            xs = sorted(xs)
            return {
                "median": round(statistics.median(xs), 2),
                "mean": round(statistics.fmean(xs), 2),
                "p90": round(xs[int(0.9 * (len(xs) - 1))], 2),
            }

        return {
            step: {
                "n": len(self.cpu[step]),
                "cpu_ms": stats(self.cpu[step]),
                "wall_ms": stats(self.wall[step]),
                "queries": round(statistics.fmean(self.queries[step]), 1),
            }
            for step in self.cpu
        }


def one_round(w: Wsgi, data: dict, i: int, paid_only: bool = False) -> None:
    auth = {"Authorization": f"Bearer {data['token']}"}
    sku = data["skus"][i % len(data["skus"])]
    body = json.dumps({"sku_id": sku, "quantity": 1}).encode()
    code, _ = w.call(
        "cart_add",
        "POST",
        "/api/checkout/cart/lines",
        body=body,
        headers=auth,
        ctype="application/json",
    )
    assert code == 201, code
    body = json.dumps({"address_id": data["address"]}).encode()
    code, out = w.call(
        "checkout_place",
        "POST",
        "/api/checkout/place",
        body=body,
        headers={**auth, "Idempotency-Key": uuid.uuid4().hex},
        ctype="application/json",
    )
    assert code == 201, (code, out)
    placed = json.loads(out)
    if not paid_only:
        code, out = w.call("sandbox_pay_page", "GET", placed["payment"]["redirect_url"])
        assert code == 200, code
    code, out = w.call(
        "sandbox_pay_and_callback",
        "POST",
        placed["payment"]["redirect_url"],
        body=b"action=pay",
        ctype="application/x-www-form-urlencoded",
    )
    assert code == 302, (code, out)
    if paid_only:  # the relay's OrderPaid (counted below) shows it was paid
        assert w.measure("outbox_relay_per_order", w.relay) >= 3
        return
    order_id = placed["orders"][0]["id"]
    code, out = w.call("order_detail", "GET", f"/api/orders/{order_id}", headers=auth)
    assert code == 200, code
    assert json.loads(out)["status"] == "paid", out
    product = data["products"][(i * 7) % len(data["products"])]
    code, _ = w.call("product_detail", "GET", f"/api/catalog/products/{product}")
    assert code == 200, code
    q = urlencode({"q": QUERIES[i % len(QUERIES)]})
    code, _ = w.call("search_zh", "GET", f"/api/search/?{q}")
    assert code == 200, code
    # the job scheduler's share: relay this order's events to their subscribers
    assert w.measure("outbox_relay_per_order", w.relay) >= 3


def main():
    p = base_args(__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=200)
    p.add_argument("--products", type=int, default=2000)
    p.add_argument(
        "--history",
        type=int,
        default=200,
        help="rounds run (not measured) before the measured ones",
    )
    p.add_argument("--profile", metavar="STEP", help="cProfile this step")
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--sql", metavar="STEP", help="print one request's SQL")
    p.add_argument(
        "--paid-only",
        action="store_true",
        help="only the paid order's steps (what benchmarks/instructions.py counts)",
    )
    args = p.parse_args()
    titles = product_titles(args.products, fallback=["商品"])
    with database(args.postgres) as env:
        data = seed(env, SEED.format(titles=titles))
        os.environ.update(env)
        os.environ["EMPORIA_SANDBOX_CALLBACK_TRANSPORT"] = "inprocess"
        os.environ["DJANGO_SETTINGS_MODULE"] = "emporia.config.settings"
        # Importing the WSGI module sets Django up: only once the env points
        # at the scratch database.
        from emporia.config.wsgi import application
        from emporia.infra.outbox.services import relay_pending

        w = Wsgi(application, connection)
        w.relay = relay_pending
        # warm-up (imports, connections, caches), then a history of orders
        # and statistics that know it, as a running shop has (see
        # checkout.py --history)
        for i in range(10 + args.history):
            one_round(w, data, i, args.paid_only)
        analyze(env)
        w.cpu, w.wall, w.queries = {}, {}, {}
        w.profile_step, w.sql_step = args.profile, args.sql
        pg0 = cpu_snapshot()["postgres"]
        for i in range(args.rounds):
            one_round(w, data, i, args.paid_only)
        # every PostgreSQL process's CPU over the measured rounds (the
        # backend serving this process, and the WAL writer, checkpointer…)
        pg_ms = (cpu_snapshot()["postgres"] - pg0) * 1000 / args.rounds
        w.counting = True
        for i in range(COUNTING_ROUNDS):
            one_round(w, data, args.rounds + i, args.paid_only)
        figures = w.summary()
        connection.close()
    total = sum(s["cpu_ms"]["mean"] for k, s in figures.items() if k in PAID_PATH)
    figures = {
        "steps": figures,
        "paid_order_cpu_ms": round(total, 2),
        "paid_order_queries": sum(
            s["queries"] for k, s in figures.items() if k in PAID_PATH
        ),
        "database": "postgresql" if args.postgres else "sqlite",
        "rounds": args.rounds,
    }
    if args.postgres:
        # per round: with --paid-only, per paid order (clock ticks: ±10 ms
        # over the whole run, so use 100+ rounds)
        figures["postgres_cpu_ms_per_round"] = round(pg_ms, 2)
    report("cpu_cost", figures, args.json)
    for step, statements in w.sql.items():
        print(f"-- {step}: {len(statements)} statements")
        print("\n".join(statements))
    for profs in w.profiles.values():
        s = io.StringIO()
        stats = pstats.Stats(profs[0], stream=s)
        for prof in profs[1:]:
            stats.add(prof)
        print(by_package(stats))
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
        print(s.getvalue())


PACKAGES = (
    ("django/db/", "Django ORM"),
    ("django/template", "Django templates"),
    ("django/middleware", "Django middleware"),
    ("django/contrib/sessions", "Django sessions"),
    ("django/utils/translation", "Django i18n"),
    ("django/", "Django other"),
    ("ninja/", "django-ninja"),
    ("pydantic", "pydantic"),
    ("emporia/", "Emporia"),
    ("whitenoise", "whitenoise"),
    ("sqlite3", "sqlite3"),
    ("psycopg", "psycopg"),
    ("json", "json"),
)


def by_package(stats: pstats.Stats) -> str:
    """Own (tottime) seconds per package: where the CPU goes."""
    totals: dict[str, float] = {}
    for (filename, _, name), (_, _, tottime, _, _) in stats.stats.items():
        where = filename + name
        label = next((lab for key, lab in PACKAGES if key in where), "other")
        totals[label] = totals.get(label, 0.0) + tottime
    whole = sum(totals.values())
    return "\n".join(
        f"{label:20s} {sec * 1000:8.1f} ms {sec / whole:6.1%}"
        for label, sec in sorted(totals.items(), key=lambda kv: -kv[1])
    )


# What a buyer's paid order costs the server: the HTTP benchmark's loop (add
# to cart, place, pay on the hosted page → signed callback) and the relay of
# the order's events by the job scheduler.
PAID_PATH = (
    "cart_add",
    "checkout_place",
    "sandbox_pay_and_callback",
    "outbox_relay_per_order",
)

if __name__ == "__main__":
    main()
