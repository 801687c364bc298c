"""End-to-end checkout over HTTP: cart → order → sandbox payment → paid.

    .venv/bin/python benchmarks/checkout.py --buyers 50 --orders 1000
    .venv/bin/python benchmarks/checkout.py --buyers 50 --orders 1000 \
        --postgres postgres://postgres@127.0.0.1:5432/postgres

Each simulated buyer loops: add a line to the cart, place the order with an
Idempotency-Key, and pay on the sandbox gateway's hosted page; the gateway
then calls the platform back (signed, asynchronous, over HTTP) and the
payment becomes succeeded. A paid order's latency runs from the buyer's first
request to that moment (read from the database afterwards, so the benchmark
adds no polling load); throughput is paid orders per second from the first
request to the last payment.

Two ways to load it:

* closed loop (default): every buyer starts the next order as soon as the
  last one is paid for — the server's saturation throughput. Latency is then
  queueing by construction (Little's law: 50 buyers ÷ N orders/s);
* ``--rate R``: orders *arrive* at R per second (open loop), served by at most
  ``--buyers`` concurrent buyers — the latency a buyer sees at that load. An
  order's latency runs from its scheduled arrival, so a backlog is counted,
  not hidden (no coordinated omission).

Both report each buyer request's own latency (add to cart, place, pay) as
well as the order's latency to "paid".
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid

import httpx
from common import (
    SERVER_LOG,
    Latencies,
    analyze,
    base_args,
    cpu_snapshot,
    cpu_used,
    database,
    report,
    seed,
    server,
)
from lean_http import LeanClient

try:  # absent when PYTHONPATH points at an older checkout ("before" runs)
    from emporia.infra.sqlite.writer import STATS_ENV, LockStats, read_lock_stats
except ImportError:
    STATS_ENV = None

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


async def buyer_loop(
    client, url, token, address_id, skus, quota, started, counts, index, requests
):
    headers = {"Authorization": f"Bearer {token}"}
    n = 0

    async def timed(method, target, **kw):
        t = time.perf_counter()
        r = await client.request(method, target, **kw)
        requests.add(time.perf_counter() - t)
        return r

    while True:
        async with quota["lock"]:
            if quota["left"] <= 0:
                return
            quota["left"] -= 1
            k = quota["k"]
            quota["k"] += 1
        sku = skus[(index + n) % len(skus)]
        n += 1
        if quota["rate"]:
            # open loop: the k-th order arrives at start + k / rate
            arrival = quota["start"] + k / quota["rate"]
            await asyncio.sleep(max(0.0, arrival - time.time()))
            t0 = arrival
        else:
            t0 = time.time()
        try:
            r = await timed(
                "POST",
                f"{url}/api/checkout/cart/lines",
                headers=headers,
                json={"sku_id": sku, "quantity": 1},
            )
            if r.status_code != 201:
                counts["errors"] += 1
                continue
            r = await timed(
                "POST",
                f"{url}/api/checkout/place",
                json={"address_id": address_id},
                headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
            )
            if r.status_code != 201:
                counts["errors"] += 1
                continue
            payment = r.json()["payment"]
            r = await timed(
                "POST", url + payment["redirect_url"], data={"action": "pay"}
            )
            if r.status_code >= 400:
                counts["errors"] += 1
                continue
        except httpx.TransportError as exc:  # counted, not fatal
            name = type(exc).__name__
            counts[name] = counts.get(name, 0) + 1
            continue
        started[payment["id"]] = t0


WAIT_PAID = """
import time
from emporia.core.payments.models import Payment
ids = {ids!r}
deadline = time.time() + 120
while time.time() < deadline:
    rows = dict(Payment.objects.filter(pk__in=ids, status="succeeded")
                .values_list("pk", "succeeded_at"))
    if len(rows) == len(ids):
        break
    time.sleep(0.5)
print(json.dumps({{str(k): v.timestamp() for k, v in rows.items()}}))
"""


def http_client(kind: str, url: str, buyers: int):
    """The load generator's HTTP client: ``lean`` (the default; a minimal
    HTTP/1.1 client, see lean_http.py) or ``httpx`` (what the first four
    passes used; several times the client CPU per request)."""
    if kind == "lean":
        return LeanClient(url, connections=buyers + 10, timeout=60)
    limits = httpx.Limits(
        max_connections=buyers + 10, max_keepalive_connections=buyers + 10
    )
    return httpx.AsyncClient(timeout=60, limits=limits)


async def drive(url, data, buyers, orders, rate, requests, client_kind):
    started, counts = {}, {"errors": 0}  # errors: 4xx/5xx; else by exception
    quota = {
        "left": orders,
        "k": 0,
        "rate": rate,
        "start": time.time(),
        "lock": asyncio.Lock(),
    }
    async with http_client(client_kind, url, buyers) as client:
        await asyncio.gather(
            *[
                buyer_loop(
                    client,
                    url,
                    tok,
                    addr,
                    data["skus"],
                    quota,
                    started,
                    counts,
                    i,
                    requests,
                )
                for i, (tok, addr) in enumerate(data["buyers"][:buyers])
            ]
        )
    return started, counts


def lock_snapshot(lock_dir):
    """Every server process's SQLite write-lock totals (None on PostgreSQL)."""
    if not lock_dir:
        return None
    time.sleep(2 * LockStats.EVERY + 0.1)  # let each process write its file
    return read_lock_stats(lock_dir)


def lock_figures(before, after, paid, wall):
    """The write lock per paid order: how often and how long it was held,
    how much of the hold its holder spent on the CPU (the rest: waiting for
    the GIL, the cores, the disk), and how long writers queued for it."""
    if not before or not after:
        return None
    d = {k: after[k] - before[k] for k in ("holds", "hold_s", "hold_cpu_s", "wait_s")}
    n = max(paid, 1)
    bounds = after["hold_ms_buckets"]
    labels = [f"<={b}" for b in bounds[:-1]] + [f">{bounds[-2]}"]
    return {
        "holds_per_paid_order": round(d["holds"] / n, 2),
        "held_ms_per_paid_order": round(d["hold_s"] * 1000 / n, 2),
        "held_cpu_ms_per_paid_order": round(d["hold_cpu_s"] * 1000 / n, 2),
        "wait_ms_per_paid_order": round(d["wait_s"] * 1000 / n, 2),
        "busy_share": round(d["hold_s"] / wall, 3),
        "hold_ms_histogram": {
            label: after["hold_histogram"][i] - before["hold_histogram"][i]
            for i, label in enumerate(labels)
        },
        # who held it: holds and held ms per paid order, by the Emporia
        # function that took it, largest first
        "by_caller": {
            caller: [
                round((h - before["by_caller"].get(caller, [0, 0, 0])[0]) / n, 2),
                round(
                    (t - before["by_caller"].get(caller, [0, 0, 0])[1]) * 1000 / n, 2
                ),
            ]
            for caller, (h, t, _) in sorted(
                after["by_caller"].items(), key=lambda kv: -kv[1][1]
            )
        },
    }


def run(env, url, data, buyers, orders, rate=0.0, client_kind="lean", lock_dir=None):
    """Buyers place and pay; the gateway's callbacks arrive asynchronously.
    A paid order's latency runs from the buyer's first request to the moment
    the callback marked its payment succeeded (server time, same machine)."""
    locks0 = lock_snapshot(lock_dir)
    cpu0 = cpu_snapshot()
    requests = Latencies()
    started, counts = asyncio.run(
        drive(url, data, buyers, orders, rate, requests, client_kind)
    )
    paid_at = seed(env, WAIT_PAID.format(ids=list(started)))
    cpu = cpu_used(cpu0, cpu_snapshot())
    locks1 = lock_snapshot(lock_dir)
    lat = Latencies()
    for pid, t0 in started.items():
        if str(pid) in paid_at:
            lat.add(paid_at[str(pid)] - t0)
    first = min(started.values()) if started else 0
    last = max(paid_at.values()) if paid_at else 0
    wall = max(last - first, 1e-9)
    return {
        "paid_orders": len(paid_at),
        "errors": counts.pop("errors"),
        "transport_errors": counts,
        "never_paid": len(started) - len(paid_at),
        "wall_s": round(wall, 2),
        "paid_orders_per_s": round(len(paid_at) / wall, 1),
        "latency": lat.summary(),
        # each buyer request on its own: add to cart, place, pay
        "request_latency": requests.summary(),
        # CPU seconds per paid order, by process (the seeding/waiting script
        # is not counted; PostgreSQL counts every backend on the machine)
        "cpu_ms_per_paid_order": {
            k: round(v * 1000 / max(len(paid_at), 1), 1) for k, v in cpu.items()
        },
        # SQLite's write lock, every server and job process together
        "write_lock": lock_figures(locks0, locks1, len(paid_at), wall),
    }


def main():
    p = base_args(__doc__.splitlines()[0])
    p.add_argument("--buyers", type=int, default=50, help="concurrent buyers")
    p.add_argument("--orders", type=int, default=1000, help="paid orders to make")
    p.add_argument("--skus", type=int, default=20)
    p.add_argument(
        "--history",
        type=int,
        default=300,
        help="orders placed and paid before the measured run (not measured)",
    )
    p.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="orders arriving per second (open loop); 0: closed loop",
    )
    p.add_argument(
        "--client",
        choices=("lean", "httpx"),
        default="lean",
        help="the load generator's HTTP client (default: lean, see lean_http.py)",
    )
    args = p.parse_args()
    with database(args.postgres) as env:
        data = seed(
            env,
            SEED.format(skus=args.skus, price="19.90", stock=10**7, buyers=args.buyers),
        )
        server_env, lock_dir = env, None
        if not args.postgres and STATS_ENV:
            lock_dir = os.path.join(env["EMPORIA_VAR_DIR"], "lock-stats")
            os.makedirs(lock_dir)
            server_env = {**env, STATS_ENV: lock_dir}
        with server(
            server_env, workers=args.workers, threads=args.threads, kind=args.server
        ) as url:
            # warm-up: a few orders so every worker has imported and connected
            run(env, url, data, min(args.buyers, 8), 16, 0.0, args.client)
            # then a history, and statistics that know it, as a running shop
            # has: PostgreSQL plans a prepared statement once per connection,
            # and a plan made while the order tables were empty (a scan of the
            # whole table) would be kept while they grow
            if args.history:
                run(env, url, data, args.buyers, args.history, 0.0, args.client)
            analyze(env)
            figures = run(
                env,
                url,
                data,
                args.buyers,
                args.orders,
                args.rate,
                args.client,
                lock_dir,
            )
    figures.update(
        server_log=dict(SERVER_LOG),
        database="postgresql" if args.postgres else "sqlite",
        buyers=args.buyers,
        rate=args.rate or "closed loop",
        server=args.server,
        client=args.client,
        workers=args.workers,
        threads=args.threads,
    )
    report("checkout_e2e", figures, args.json)


if __name__ == "__main__":
    main()
