"""Demo: fake-trade governance (刷单治理).

Three individual sellers keep buying from one another (a ring), and a fourth
seller's "customers" check out on the seller's own phone (sock puppets).
Their trades are paid and shipped; the scoring job flags them for the
operations console's review queue. One penalty (a search demotion of the
sock-puppet shop) is already applied and appealed, so the penalties page has
an appeal to rule on. Everything goes through the services.
"""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import urlsplit

from django.urls import resolve

from emporia.core.accounts import services as accounts
from emporia.core.accounts.clients import ClientInfo
from emporia.core.accounts.models import Shop
from emporia.core.catalog import services as catalog
from emporia.core.catalog.models import Product
from emporia.core.checkout import services as checkout
from emporia.core.fulfilment import services as fulfilment
from emporia.core.inventory import services as inventory
from emporia.infra.outbox.services import relay_pending
from emporia.infra.psp.sandbox import services as sandbox
from emporia.modes.c2c.governance import scoring
from emporia.modes.c2c.governance import services as governance

PASSWORD = "emporia-demo-2026"
SELLERS = [
    ("ring-a", "小安", "安安手作", "手工皂"),
    ("ring-b", "小博", "博博小铺", "香薰蜡烛"),
    ("ring-c", "小蔡", "蔡蔡杂货", "帆布包"),
    ("puppet", "小彭", "彭彭数码配件", "手机壳"),
]


def _seller(seeder, key, name, shop_name, product_name):
    owner = accounts.register_user(
        password=PASSWORD,
        display_name=name,
        email=f"c2cgov-{key}@emporia.test",
    )
    address = accounts.add_address(
        user=owner,
        data={
            "recipient": name,
            "phone": "13900000000",
            "city": "杭州市",
            "line1": f"{shop_name} 仓库 {owner.pk} 号",
        },
        is_default=True,
    )
    shop = accounts.open_shop(owner=owner, name=shop_name, kind=Shop.Kind.INDIVIDUAL)
    location = inventory.create_location(
        shop=shop, actor=owner, code="home", name=f"{name}家", city="杭州市"
    )
    category = next(iter(seeder.world.categories.values()))
    product = catalog.create_product(
        shop_id=shop.pk,
        by=owner,
        names={"zh-hans": product_name, "en": f"{product_name} (handmade)"},
        category_id=category.pk,
        skus=[{"code": f"{key}-1", "attributes": {}, "price": "39", "currency": "CNY"}],
    )
    catalog.set_product_status(
        product_id=product.pk, by=owner, status=Product.Status.LISTED
    )
    sku = product.skus.get()
    inventory.set_up_stock(
        shop=shop,
        sku_id=sku.pk,
        location_id=location.pk,
        quantity=200,
        reason="期初入库 Opening stock",
        ref=f"demo:{key}",
        actor=owner,
    )
    return {"owner": owner, "shop": shop, "sku": sku, "address": address}


def _trade(seeder, buyer, address, seller, device: str) -> None:
    placed = checkout.place_order(
        buyer=buyer,
        idempotency_key=f"c2cgov-{uuid.UUID(int=seeder.rng.getrandbits(128)).hex}",
        lines=[checkout.WantedLine(seller["sku"].pk, 1)],
        address_id=address.pk,
        client=ClientInfo(ip="203.0.113.7", device_id=device),
    )
    redirect = placed.checkout.payment.redirect_url
    sandbox.pay(resolve(urlsplit(redirect).path).kwargs["token"])
    order = placed.checkout.orders.get()
    order.refresh_from_db()
    fulfilment.ship_order(
        order=order,
        by=seller["owner"],
        carrier="ZTO",
        tracking_number=f"ZT{seeder.rng.randrange(10**10):010d}",
    )
    seeder.clock.advance(minutes=seeder.rng.randint(10, 60))


def seed(seeder) -> None:
    seeder.clock.set(seeder.now - dt.timedelta(days=2))
    sellers = {key: _seller(seeder, key, *rest) for key, *rest in SELLERS}
    ring = [sellers["ring-a"], sellers["ring-b"], sellers["ring-c"]]
    for i, buyer in enumerate(ring):
        for _ in range(3):
            nxt = ring[(i + 1) % 3]
            _trade(seeder, buyer["owner"], buyer["address"], nxt, f"phone-{i}-0001")
    puppet_shop = sellers["puppet"]
    phone = "puppet-phone-7f3a9c21"
    accounts.record_login(
        user=puppet_shop["owner"], client=ClientInfo(device_id=phone), channel="web"
    )
    for n in range(3):
        buyer = accounts.register_user(
            password=PASSWORD,
            display_name=f"买家{n + 1}号",
            email=f"c2cgov-puppet-buyer{n}@emporia.test",
        )
        address = accounts.add_address(
            user=buyer,
            data={
                "recipient": f"买家{n + 1}",
                "phone": "13700000000",
                "city": "杭州市",
                "line1": f"文三路 {n + 8} 号",
            },
        )
        _trade(seeder, buyer, address, puppet_shop, phone)
    while relay_pending():
        pass
    scoring.score_pending()
    penalty = governance.apply_penalty(
        shop_id=puppet_shop["shop"].pk,
        order_ids=[],
        measures=["demote"],
        reason="买家与卖家使用同一设备 Buyers check out on the seller's phone",
        by=seeder.world.users["operator"],
    )
    governance.file_appeal(
        penalty_id=penalty.pk,
        by=puppet_shop["owner"],
        text="这些是我的家人，用我的手机帮忙下单。They are my family using my phone.",
    )
    seeder.world.created["governance flags"] = len(ring) * 3 + 3
