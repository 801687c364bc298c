"""Demo: keyword ads (直通车). Three shops bid on words from their product
names; a week of searches by the demo buyers shows sponsored slots, and
some of them click (a few twice: the repeat is free), so the seller center's
ad reports have impressions, clicks, spend and CTR to chart."""

from __future__ import annotations

import datetime as dt

from emporia.core.search import selectors as search
from emporia.core.search import services as search_index
from emporia.core.search import text
from emporia.core.search.extensions import Visitor
from emporia.kernel.errors import Conflict
from emporia.kernel.money import Money
from emporia.modes.c2c.ads import campaigns, clicks, config, impressions
from emporia.modes.c2c.ads.serving import SOURCE

SHOPS = 3
DAYS = 7
SEARCHES_PER_DAY = 25
BIDS = ("0.60", "0.90", "1.20", "1.50")


def _words(name: str) -> list[str]:
    return [w for w in text.query_tokens(name) if len(w) >= 2][:2]


def seed(seeder) -> None:
    w, rng, clock = seeder.world, seeder.rng, seeder.clock
    # The week of ad traffic ends about now, not in the future.
    clock.set(max(clock.current, seeder.now - dt.timedelta(days=DAYS + 1)))
    keywords: list[str] = []
    for shop_key in sorted(w.skus)[:SHOPS]:
        shop = w.shops[shop_key]
        if shop.currency != config.currency():
            continue
        owner = w.owners_by_shop_id[shop.pk]
        products = {sku.product_id: sku.product for sku, _, _ in w.skus[shop_key]}
        chosen = sorted(products)[:3]
        for product_id in chosen:  # the index is otherwise rebuilt at the end
            search_index.reindex_product(product_id=product_id)
        campaign = campaigns.create_campaign(
            shop_id=shop.pk,
            by=owner,
            name=f"{shop.name} · 直通车",
            daily_budget=Money(30_00, config.currency()),
            start_date=config.today(),
            product_ids=chosen,
        )
        for product_id in chosen:
            for word in _words(products[product_id].names.get("zh-hans", "")):
                if word in keywords and rng.random() < 0.5:
                    continue
                try:
                    campaigns.add_keyword(
                        campaign_id=campaign.pk,
                        by=owner,
                        text=word,
                        bid=Money.from_decimal(rng.choice(BIDS), config.currency()),
                    )
                except Conflict:  # the campaign already bids on this word
                    continue
                keywords.append(word)
    buyers = [u for key, u in sorted(w.users.items()) if key not in ("operator",)]
    if not keywords or not buyers:
        return
    for _ in range(DAYS):
        for _ in range(SEARCHES_PER_DAY):
            buyer = rng.choice(buyers)
            visitor = Visitor(user_id=buyer.pk)
            slots = search.sponsored(query=rng.choice(keywords), visitor=visitor)
            for slot in slots:
                if slot["source"] == SOURCE and rng.random() < 0.12:
                    token = slot["click_url"].split("/")[3]
                    clicks.record_click(token=token, visitor=visitor)
                    if rng.random() < 0.2:
                        clicks.record_click(token=token, visitor=visitor)
            clock.advance(minutes=rng.randint(5, 20))
        impressions.flush()
        clock.advance(hours=18)
    impressions.flush()
