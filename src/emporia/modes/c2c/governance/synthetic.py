"""A synthetic marketplace with planted fake trades, bulk-inserted, for the
governance tests (precision and recall) and the 100,000-order benchmark.

Honest trade: buyers pick shops by a Zipf-like popularity; a share of the
sellers also buy honestly from other shops (so sellers' accounts form one big
strongly connected marketplace); honest buyers have their own devices, IPs
and addresses, and orders are spread over the window with ordinary values.

Planted fakes (the ground truth):
- rings: 3–6 seller accounts, each owning a shop, buying from one another
  over and over (every member from 1–3 others, 2–5 orders each), and a
  little from honest shops too;
- sock puppets: a seller and 2–4 buyer accounts logging in from the
  seller's device, buying from the seller's shop.

Written with ``bulk_create`` straight into the core tables (it is test and
benchmark data, not business): users, shops and owners, login records,
checkouts with the client device and IP, and paid orders.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from emporia.core.accounts.models import LoginRecord, Shop, ShopMember, User
from emporia.core.checkout.models import Checkout
from emporia.core.orders.models import Order

BATCH = 2000


@dataclass
class World:
    fake_order_ids: set[int] = field(default_factory=set)
    honest_order_ids: set[int] = field(default_factory=set)
    ring_members: list[set[int]] = field(default_factory=list)
    shops: int = 0
    buyers: int = 0

    @property
    def orders(self) -> int:
        return len(self.fake_order_ids) + len(self.honest_order_ids)


def _users(prefix: str, n: int, joined) -> list[User]:
    users = [
        User(
            email=f"{prefix}{i}@synthetic.example",
            display_name=f"{prefix}{i}",
            password="!",
            date_joined=joined(i),
        )
        for i in range(n)
    ]
    return User.objects.bulk_create(users, batch_size=BATCH)


def generate(
    *,
    orders: int,
    now: dt.datetime,
    seed: int = 7,
    shops: int | None = None,
    buyers: int | None = None,
    rings: int | None = None,
    puppet_clusters: int | None = None,
    days: int = 90,
) -> World:
    """Insert a marketplace of about ``orders`` orders placed within ``days``
    before ``now``; returns the ground truth."""
    rng = random.Random(seed)
    shops = shops or max(20, orders // 50)
    buyers = buyers or max(50, orders // 5)
    rings = rings if rings is not None else max(2, orders // 5000)
    puppet_clusters = (
        puppet_clusters if puppet_clusters is not None else max(2, orders // 4000)
    )
    start = now - dt.timedelta(days=days)
    old = now - dt.timedelta(days=400)

    def at() -> dt.datetime:
        return start + dt.timedelta(seconds=rng.randrange(days * 86400 - 3600))

    sellers = _users("seller", shops, lambda i: old)
    shop_rows = Shop.objects.bulk_create(
        [
            Shop(name=f"Synthetic shop {i}", slug=f"syn-{seed}-{i}", kind="individual")
            for i in range(shops)
        ],
        batch_size=BATCH,
    )
    ShopMember.objects.bulk_create(
        [
            ShopMember(shop=s, user=u, role=ShopMember.Role.OWNER)
            for s, u in zip(shop_rows, sellers, strict=True)
        ],
        batch_size=BATCH,
    )
    honest = _users("buyer", buyers, lambda i: old + dt.timedelta(days=i % 300))
    shop_of = {u.pk: s for u, s in zip(sellers, shop_rows, strict=True)}
    weights = [1 / (i + 1) ** 0.8 for i in range(shops)]
    logins = [
        LoginRecord(
            user=u,
            channel="web",
            ip=f"10.{i // 250 % 250}.{i % 250}.1",
            device_id=f"dev-seller-{seed}-{i:06d}",
            at=old,
        )
        for i, u in enumerate(sellers)
    ]
    plan: list[tuple[User, Shop, bool, str, str]] = []  # buyer, shop, fake, dev, ip

    # Planted rings among some sellers.
    world = World(shops=shops, buyers=buyers)
    ring_pool = rng.sample(range(shops), min(shops, rings * 6))
    cursor = 0
    for _ in range(rings):
        size = rng.randint(3, 6)
        members = ring_pool[cursor : cursor + size]
        cursor += size
        if len(members) < 3:
            break
        world.ring_members.append({sellers[i].pk for i in members})
        for pos, i in enumerate(members):
            targets = {members[(pos + 1) % len(members)]}
            targets |= set(rng.sample(members, rng.randint(0, 2))) - {i}
            for j in targets:
                for _ in range(rng.randint(2, 5)):
                    plan.append((sellers[i], shop_rows[j], True, "", ""))
            for _ in range(rng.randint(0, 2)):  # a little honest shopping too
                j = rng.choices(range(shops), weights)[0]
                if j not in members:
                    plan.append((sellers[i], shop_rows[j], False, "", ""))
    # Sock puppets on their seller's device.
    puppet_sellers = rng.sample(
        [i for i in range(shops) if i not in ring_pool],
        min(puppet_clusters, shops // 3),
    )
    puppets = _users(
        f"puppet{seed}-",
        sum(4 for _ in puppet_sellers),
        lambda i: now - dt.timedelta(days=30),
    )
    for c, i in enumerate(puppet_sellers):
        device = f"dev-seller-{seed}-{i:06d}"
        for p in puppets[c * 4 : c * 4 + rng.randint(2, 4)]:
            logins.append(LoginRecord(user=p, channel="web", device_id=device, at=old))
            for _ in range(rng.randint(1, 3)):
                plan.append((p, shop_rows[i], True, device, ""))
    # Honest trade fills the rest: buyers, and some sellers buying too.
    shoppers = honest + [s for k, s in enumerate(sellers) if k % 3 == 0]
    ring_of = {m: n for n, ring in enumerate(world.ring_members) for m in ring}
    while len(plan) < orders:
        buyer = rng.choice(shoppers)
        j = rng.choices(range(shops), weights)[0]
        if shop_of.get(buyer.pk) is shop_rows[j] or (
            buyer.pk in ring_of and ring_of.get(sellers[j].pk) == ring_of[buyer.pk]
        ):
            continue
        plan.append((buyer, shop_rows[j], False, "", ""))
    LoginRecord.objects.bulk_create(logins, batch_size=BATCH)

    rows, checkouts = [], []
    for k, (buyer, shop, _fake, device, ip) in enumerate(plan):
        placed = at()
        total = rng.randint(990, 49900)
        rows.append(
            Order(
                number=f"S{seed}-{k:08d}",
                buyer=buyer,
                shop=shop,
                status="completed",
                currency="CNY",
                items_minor=total,
                total_minor=total,
                commission_rate=Decimal("0.05"),
                shipping_address={
                    "city": "杭州市",
                    "line1": f"{buyer.display_name} 路 {buyer.pk} 号",
                },
                placed_at=placed,
                paid_at=placed + dt.timedelta(minutes=5),
                completed_at=placed + dt.timedelta(days=3),
            )
        )
        checkouts.append(
            Checkout(
                buyer=buyer,
                idempotency_key=f"syn-{seed}-{k}",
                body_hash="-",
                created_at=placed,
                device_id=device or f"dev-{buyer.pk}",
                client_ip=ip or None,
            )
        )
    created = Order.objects.bulk_create(rows, batch_size=BATCH)
    Checkout.objects.bulk_create(checkouts, batch_size=BATCH)
    for order, (_, _, fake, _, _) in zip(created, plan, strict=True):
        (world.fake_order_ids if fake else world.honest_order_ids).add(order.pk)
    return world
