"""Group-buy joins: many buyers racing into 1,000 groups (service level, threads).

    .venv/bin/python benchmarks/group_joins.py
    .venv/bin/python benchmarks/group_joins.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/group_joins.py --groups 200 --joins 2000   # a smaller run

Service level, not HTTP: the real ``groups.join_group`` (seat claim, checkout,
stock reservation, sandbox charge) called from ``--threads`` OS threads, each
with its own database connection, against a fresh migrated database.

1. setup: ``--groups`` leaders start a group each (team of ``--size``) over
   ``--campaigns`` campaigns/SKUs;
2. joins (measured): ``--joins`` different buyers each join a random group;
   a buyer refused with "group full" tries up to two other random groups (as
   the page offers), then gives up;
3. forming (measured): every placed order is paid on the sandbox gateway and
   the outbox relayed until every full group is filled.

Afterwards the database is checked, and the run fails unless: no group has
more than ``--size`` seats or members, every group with all seats paid is
filled, and every payment was captured exactly once.
"""

from __future__ import annotations

import os
import random
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from urllib.parse import urlsplit

from common import Latencies, base_args, database, report


def main() -> None:
    p = base_args(__doc__.splitlines()[0])
    p.add_argument("--groups", type=int, default=1000)
    p.add_argument("--joins", type=int, default=10000)
    p.add_argument("--size", type=int, default=10)
    p.add_argument("--campaigns", type=int, default=10)
    p.add_argument("--join-threads", type=int, default=16)
    args = p.parse_args()
    with database(args.postgres) as env:
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "emporia.config.settings"
        os.environ["EMPORIA_SANDBOX_CALLBACK_TRANSPORT"] = "inprocess"
        sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
        import django

        django.setup()
        figures = run(args)
    report(
        f"group-joins-{'postgres' if args.postgres else 'sqlite'}", figures, args.json
    )


def run(args) -> dict:
    from django.db import connection
    from django.urls import resolve

    from emporia.core.accounts.models import Address, Shop, User
    from emporia.core.catalog.models import Category, Product, Sku
    from emporia.core.inventory.models import Location, StockItem, StockMovement
    from emporia.core.payments.models import Payment
    from emporia.infra.outbox.services import relay_pending
    from emporia.infra.psp.sandbox import services as sandbox
    from emporia.kernel.errors import DomainError
    from emporia.modes.social.models import Group, GroupMember
    from emporia.modes.social.services import groups

    rng = random.Random(7)
    shop = Shop.objects.create(name="Group shop", slug="groups")
    cat = Category.objects.create(slug="g", names={"en": "G"}, path="/")
    loc = Location.objects.create(shop=shop, code="wh", name="Warehouse")
    units = args.groups * args.size * 2
    campaigns = []
    for c in range(args.campaigns):
        product = Product.objects.create(
            shop=shop,
            category=cat,
            slug=f"p{c}",
            names={"en": f"P{c}"},
            status="listed",
        )
        sku = Sku.objects.create(product=product, code=f"G{c}", price=Decimal("20.00"))
        item = StockItem.objects.create(sku=sku, location=loc, on_hand=units)
        StockMovement.objects.create(stock_item=item, delta=units, kind="receipt")
        campaigns.append(
            groups.create_campaign(
                shop=shop,
                actor=None,
                sku_id=sku.pk,
                group_price="15.00",
                team_size=args.size,
                window_minutes=24 * 60,
                stock_cap=units,
                per_buyer_limit=1,
            )
        )
    people = args.groups + args.joins
    users = User.objects.bulk_create(
        [
            User(email=f"g{i}@bench.test", display_name=f"G{i}", password="!")
            for i in range(people)
        ]
    )
    Address.objects.bulk_create(
        [
            Address(user=u, recipient="G", phone="13800000000", city="SH", line1="1")
            for u in users
        ]
    )
    address = dict(Address.objects.values_list("user_id", "pk"))
    leaders, joiners = users[: args.groups], users[args.groups :]
    connection.close()

    def closing(fn):
        def wrapped(*a):
            try:
                return fn(*a)
            finally:
                connection.close()

        return wrapped

    @closing
    def start(i):
        u = leaders[i]
        return groups.start_group(
            buyer=u,
            campaign_id=campaigns[i % len(campaigns)].pk,
            idempotency_key=uuid.uuid4().hex,
            address_id=address[u.pk],
        ).member.group

    t0 = time.perf_counter()
    with ThreadPoolExecutor(args.join_threads) as pool:
        opened = list(pool.map(start, range(args.groups)))
    setup_s = time.perf_counter() - t0

    lat = Latencies()
    outcome = {"joined": 0, "gave_up": 0, "full_retries": 0}
    tally = threading.Lock()

    def count(key):
        with tally:
            outcome[key] += 1

    @closing
    def join(i):
        u = joiners[i]
        for _ in range(3):
            group = rng.choice(opened)
            t = time.perf_counter()
            try:
                groups.join_group(
                    buyer=u,
                    group=group,
                    idempotency_key=uuid.uuid4().hex,
                    address_id=address[u.pk],
                )
            except DomainError as exc:
                lat.add(time.perf_counter() - t)
                if exc.code not in ("group_full", "already_joined"):
                    raise
                count("full_retries")
                continue
            lat.add(time.perf_counter() - t)
            count("joined")
            return
        count("gave_up")

    t0 = time.perf_counter()
    with ThreadPoolExecutor(args.join_threads) as pool:
        list(pool.map(join, range(args.joins)))
    join_s = time.perf_counter() - t0

    @closing
    def pay(payment_url):
        sandbox.pay(resolve(urlsplit(payment_url).path).kwargs["token"])

    urls = list(
        Payment.objects.filter(status="pending").values_list("redirect_url", flat=True)
    )
    connection.close()
    t0 = time.perf_counter()
    with ThreadPoolExecutor(args.join_threads) as pool:
        list(pool.map(pay, urls))
    while relay_pending():
        pass
    form_s = time.perf_counter() - t0

    overfull = Group.objects.filter(seats_taken__gt=args.size).count()
    for g in Group.objects.all():
        members = g.members.filter(status__in=("pending", "paid")).count()
        overfull += members > g.size
    full = Group.objects.filter(seats_taken=args.size).count()
    filled = Group.objects.filter(status="filled").count()
    captured = Payment.objects.filter(status="succeeded").count()
    figures = {
        "mode": "service level, threads",
        "groups": args.groups,
        "size": args.size,
        "join_attempts": args.joins,
        "threads": args.join_threads,
        "setup_s": round(setup_s, 1),
        "joined": outcome["joined"],
        "gave_up": outcome["gave_up"],
        "group_full_refusals": outcome["full_retries"],
        "join_s": round(join_s, 1),
        "joins_per_s": round(outcome["joined"] / join_s, 1),
        "join_latency": lat.summary(),
        "groups_full": full,
        "groups_filled": filled,
        "form_s": round(form_s, 1),
        "groups_formed_per_s": round(filled / (join_s + form_s), 2),
        "overfull_groups": overfull,
        "members": GroupMember.objects.count(),
        "payments_captured": captured,
    }
    assert overfull == 0, "a group has more members than seats"
    assert filled == full, f"{full} groups are full but only {filled} filled"
    assert captured == GroupMember.objects.count(), "a payment is missing or doubled"
    return figures


if __name__ == "__main__":
    main()
