"""Load the demo, step by step, through the services only.

The whole load is one transaction: it lands completely or not at all, so a
failed load can simply be run again. The clock is frozen 40 days back while
shops open and the catalogue is stocked, then walks each order's life (see
``story``); the outbox is relayed and the search index rebuilt at the end.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count

from emporia.core.accounts import services as accounts
from emporia.core.accounts.models import Shop
from emporia.core.catalog import services as catalog
from emporia.core.catalog.models import Category, Product, Sku
from emporia.core.inventory import services as inventory
from emporia.core.ledger import selectors as ledger
from emporia.core.orders.models import Order
from emporia.core.payments import payouts
from emporia.core.reviews.models import ProductReview
from emporia.core.search import services as search
from emporia.infra.outbox.services import relay_pending
from emporia.kernel import clock
from emporia.kernel.clock import FrozenClock
from emporia.kernel.money import Money

from . import catalog_data, modes, people, shops_data, story

RANDOM_SEED = 20261111
SETUP_DAYS_AGO = 40
# (shop key, share of its available balance paid out to its bank)
PAYOUTS = (("yunshang", "0.6"), ("apo-tea", "0.8"))
BANK_ACCOUNTS = {
    "yunshang": "6222 0212 0000 8866 123",
    "apo-tea": "6217 0000 5500 1234",
}

Progress = Callable[[str, int, int], None]


@dataclass
class World:
    """What the steps have built so far, looked up by the data's keys."""

    users: dict = field(default_factory=dict)  # person key → User
    addresses: dict = field(default_factory=dict)  # buyer key → Address
    shops: dict = field(default_factory=dict)  # shop key → Shop
    owners_by_shop_id: dict = field(default_factory=dict)
    carriers: dict = field(default_factory=dict)  # shop id → carrier name
    locations: dict = field(default_factory=dict)  # shop key → [Location]
    categories: dict = field(default_factory=dict)  # slug → Category
    top_of: dict = field(default_factory=dict)  # child slug → top-level slug
    skus: dict = field(default_factory=dict)  # shop key → [(Sku, data, top)]
    created: dict = field(default_factory=dict)


@contextlib.contextmanager
def inprocess_callbacks():
    """Deliver sandbox callbacks in-process while seeding.

    ``emporia demo`` runs without a server listening, so the gateway's usual
    HTTP POST to the callback URL would find nobody; in-process it still goes
    through URL routing, middleware and the platform's callback view. (The
    static files middleware, built for each in-process request, would warn
    that ``collectstatic`` has not run yet; that is expected here.)
    """
    previous = settings.EMPORIA
    settings.EMPORIA = {**previous, "SANDBOX_CALLBACK_TRANSPORT": "inprocess"}
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="No directory at")
            yield
    finally:
        settings.EMPORIA = previous


def logins() -> list[dict]:
    return [
        {
            "email": people.ADMIN_EMAIL,
            "password": people.ADMIN_PASSWORD,
            "role": "operator",
        },
        {
            "email": people.SELLER_EMAIL,
            "password": people.DEMO_PASSWORD,
            "role": "seller (云裳女装旗舰店)",
        },
        {
            "email": people.BUYER_EMAIL,
            "password": people.DEMO_PASSWORD,
            "role": "buyer",
        },
    ]


class Seeder:
    def __init__(self, progress: Progress | None = None):
        self.rng = random.Random(RANDOM_SEED)
        self.now = clock.now()
        self.clock = FrozenClock(self.now - dt.timedelta(days=SETUP_DAYS_AGO))
        self.world = World()
        self._products: dict[int, catalog_data.ProductData] = {}
        self.plots = story.plan(self.rng, [p.key for p in people.BUYERS])
        self.steps: list[tuple[str, Callable[[], None]]] = [
            ("Accounts and addresses", self.accounts),
            ("Shops and warehouses", self.shops),
            ("Category tree", self.categories),
            ("Products and SKUs", self.products),
            ("Opening stock", self.stock),
        ]
        self.total = len(self.steps) + len(self.plots) + len(modes.STEPS) + 3
        self.done = 0
        self._progress = progress

    def report(self, description: str) -> None:
        if self._progress is not None:
            self._progress(description, self.done, self.total)

    def advance(self) -> None:
        self.done += 1
        self.report("")

    # -- the steps ---------------------------------------------------------------------
    def accounts(self) -> None:
        w, User = self.world, get_user_model()
        operator = User.objects.filter(email__iexact=people.ADMIN_EMAIL).first()
        w.created["operators"] = 0
        if operator is None:
            operator = User.objects.create_superuser(
                people.ADMIN_EMAIL,
                people.ADMIN_PASSWORD,
                display_name="Emporia operator",
            )
            w.created["operators"] = 1
        w.users["operator"] = operator
        for person in people.OWNERS + people.BUYERS:
            self.clock.advance(minutes=self.rng.randint(5, 600))
            w.users[person.key] = accounts.register_user(
                password=people.DEMO_PASSWORD,
                display_name=person.display_name,
                email=person.email,
                mobile=person.mobile,
            )
            if person.address:
                w.addresses[person.key] = accounts.add_address(
                    user=w.users[person.key], data=person.address, is_default=True
                )
        w.created["shop owners"] = len(people.OWNERS)
        w.created["buyers"] = len(people.BUYERS)

    def shops(self) -> None:
        w = self.world
        for data in shops_data.SHOPS:
            owner = w.users[data.owner]
            shop = accounts.open_shop(
                owner=owner,
                name=data.name,
                kind=data.kind,
                description=data.description,
                slug=data.key,
            )
            w.shops[data.key] = shop
            w.owners_by_shop_id[shop.pk] = owner
            w.carriers[shop.pk] = data.carrier
            w.locations[data.key] = [
                inventory.create_location(
                    shop=shop,
                    actor=owner,
                    code=wh.code,
                    name=wh.name,
                    kind=wh.kind,
                    country=wh.country,
                    region=wh.region,
                    city=wh.city,
                    latitude=wh.latitude,
                    longitude=wh.longitude,
                )
                for wh in data.warehouses
            ]
        w.created["shops"] = len(shops_data.SHOPS)
        w.created["warehouses"] = sum(len(s.warehouses) for s in shops_data.SHOPS)

    def categories(self) -> None:
        w, made = self.world, 0
        operator = w.users["operator"]
        for position, (slug, zh, en, children) in enumerate(catalog_data.CATEGORIES):
            parent = Category.objects.filter(slug=slug).first()
            if parent is None:
                parent = catalog.create_category(
                    by=operator,
                    slug=slug,
                    names={"zh-hans": zh, "en": en},
                    position=position,
                )
                made += 1
            w.categories[slug] = parent
            for child_position, (child, child_zh, child_en) in enumerate(children):
                node = Category.objects.filter(slug=child).first()
                if node is None:
                    node = catalog.create_category(
                        by=operator,
                        slug=child,
                        names={"zh-hans": child_zh, "en": child_en},
                        parent_id=parent.pk,
                        position=child_position,
                    )
                    made += 1
                w.categories[child] = node
                w.top_of[child] = slug
        w.created["categories"] = made

    def products(self) -> None:
        w = self.world
        skus = 0
        for data in catalog_data.PRODUCTS:
            self.clock.advance(hours=self.rng.randint(1, 12))
            owner = w.owners_by_shop_id[w.shops[data.shop].pk]
            product = catalog.create_product(
                shop_id=w.shops[data.shop].pk,
                by=owner,
                names={"zh-hans": data.zh, "en": data.en},
                descriptions={"zh-hans": data.zh_desc, "en": data.en_desc},
                category_id=w.categories[data.category].pk,
                skus=data.skus(),
                brand=data.brand,
                specs=data.specs,
            )
            skus += len(data.skus())
            if data.status != Product.Status.DRAFT:
                catalog.set_product_status(
                    product_id=product.pk, by=owner, status=Product.Status.LISTED
                )
            if data.status == Product.Status.DELISTED:
                # Sold for a season first, so its history shows both changes.
                self.clock.advance(days=30)
                catalog.set_product_status(
                    product_id=product.pk,
                    by=owner,
                    status=Product.Status.DELISTED,
                    reason="换季下架 Off season",
                )
                self.clock.advance(days=-30)
            self._products[product.pk] = data
        w.created["products"] = len(catalog_data.PRODUCTS)
        w.created["SKUs"] = skus

    def stock(self) -> None:
        w = self.world
        for sku in Sku.objects.filter(product_id__in=self._products).order_by("pk"):
            data = self._products[sku.product_id]
            shop_key = data.shop
            owner = w.owners_by_shop_id[w.shops[shop_key].pk]
            locations = w.locations[shop_key]
            if data.scarce:
                quantities = [self.rng.randint(1, data.stock)]
            else:
                spread = self.rng.uniform(0.7, 1.3)
                quantities = [max(10, int(data.stock * spread))]
                if len(locations) > 1:  # the self-operated store's second warehouse
                    quantities.append(max(5, int(data.stock * spread / 2)))
            for location, quantity in zip(locations, quantities, strict=False):
                inventory.set_up_stock(
                    shop=w.shops[shop_key],
                    sku_id=sku.pk,
                    location_id=location.pk,
                    quantity=quantity,
                    reason="期初入库 Opening stock",
                    ref=f"demo:{sku.code}",
                    actor=owner,
                )
            if data.status == Product.Status.LISTED and not data.scarce:
                top = w.top_of[data.category]
                w.skus.setdefault(shop_key, []).append((sku, data, top))

    def orders(self) -> None:
        stager = story.Stager(self.world, self.rng, self.clock, self.now)
        for n, plot in enumerate(self.plots, start=1):
            self.report(f"Order {n}/{len(self.plots)}: {plot.ending.replace('_', ' ')}")
            stager.stage(plot)
            self.advance()

    def payouts(self) -> None:
        w, made = self.world, 0
        self.clock.set(self.now - dt.timedelta(hours=3))
        for shop_key, share in PAYOUTS:
            shop = w.shops[shop_key]
            available = ledger.shop_money(shop.pk, shop.currency).available
            amount = available.times(share)
            amount = Money(amount.minor - amount.minor % 10000, amount.currency)
            if amount.minor < payouts.payout_min_minor():
                continue
            self.clock.advance(minutes=self.rng.randint(10, 50))
            payouts.request_payout(
                shop=shop,
                by=w.owners_by_shop_id[shop.pk],
                amount=amount,
                bank_account=BANK_ACCOUNTS[shop_key],
                key=f"demo-payout:{shop_key}",
            )
            made += 1
        w.created["payouts"] = made

    # -- the run ---------------------------------------------------------------------
    def run(self) -> dict:
        started = time.monotonic()
        with inprocess_callbacks():
            with clock.use(self.clock):
                for description, step in self.steps:
                    self.report(description)
                    step()
                    self.advance()
                self.orders()
                self.report("Payouts")
                self.payouts()
                self.advance()
                for description, seed in modes.STEPS:
                    self.report(description)
                    seed(self)
                    self.advance()
            self.report("Relaying events")
            while relay_pending():
                pass
            self.advance()
            self.report("Rebuilding the search index")
            search.reindex_all()
            self.advance()
        self.report("Done")
        return self.summary(time.monotonic() - started)

    def summary(self, seconds: float) -> dict:
        w = self.world
        shop_ids = [s.pk for s in w.shops.values()]
        demo_orders = Order.objects.filter(shop_id__in=shop_ids)
        by_status = dict(
            demo_orders.values_list("status").annotate(n=Count("id")).order_by("status")
        )
        w.created["orders"] = sum(by_status.values())
        w.created["reviews"] = ProductReview.objects.filter(
            order_line__order__shop_id__in=shop_ids
        ).count()
        return {
            "skipped": False,
            "created": w.created,
            "orders_by_status": by_status,
            "shops": {
                s.name: s.kind
                for s in Shop.objects.filter(pk__in=shop_ids).order_by("pk")
            },
            "logins": logins(),
            "seconds": round(seconds, 1),
        }


def demo_loaded() -> bool:
    return get_user_model().objects.filter(email__iexact=people.SELLER_EMAIL).exists()


def seed(*, if_empty: bool = False, progress: Progress | None = None) -> dict:
    """Load the demo data; returns a summary for the command line.

    With ``if_empty`` nothing happens when the database already has users, so
    ``make run`` can call it every time. Running it twice never duplicates:
    once the demo seller exists the demo counts as loaded and is skipped.
    ``progress(description, done, total)`` is told how far the load is.
    """
    User = get_user_model()
    if if_empty and User.objects.exists():
        return {"skipped": True, "reason": "the database already has users"}
    with transaction.atomic():
        if demo_loaded():
            return {
                "skipped": True,
                "reason": "the demo is already loaded",
                "logins": logins(),
            }
        return Seeder(progress).run()
