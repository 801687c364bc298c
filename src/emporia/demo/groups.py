"""Demo: group buying (拼团) — a campaign with a filled group, a group that
failed and was refunded automatically, and one still forming, each with a
share funnel (shares on several channels, visits, joins)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlsplit

from django.urls import resolve

from emporia.infra.outbox.services import relay_pending
from emporia.infra.psp.sandbox import services as sandbox
from emporia.modes.social.services import groups, shares

from . import people


def _pay(joined) -> None:
    token = resolve(urlsplit(joined.payment.redirect_url).path).kwargs["token"]
    sandbox.pay(token)
    relay_pending()


def seed(seeder) -> None:
    w, rng, clock = seeder.world, seeder.rng, seeder.clock
    shop = w.shops["yunshang"]
    sku, _, _ = w.skus["yunshang"][0]
    owner = w.owners_by_shop_id[shop.pk]
    buyers = [(p.key, w.users[p.key]) for p in people.BUYERS]
    clock.set(seeder.now - dt.timedelta(days=3))
    campaign = groups.create_campaign(
        shop=shop,
        actor=owner,
        sku_id=sku.pk,
        group_price=(sku.price * 8 / 10).quantize(Decimal("0.1")),
        team_size=3,
        window_minutes=24 * 60,
        stock_cap=60,
        per_buyer_limit=2,
        title="三人团 · 8 折",
    )
    n = 0

    def member(i: int):
        key, user = buyers[i % len(buyers)]
        return user, w.addresses[key].pk

    def start(i: int):
        nonlocal n
        n += 1
        user, address = member(i)
        return groups.start_group(
            buyer=user,
            campaign_id=campaign.pk,
            idempotency_key=f"demo-group-{n}",
            address_id=address,
        )

    def join(i: int, group, share):
        nonlocal n
        n += 1
        user, address = member(i)
        shares.record_visit(
            share=share, visitor=shares.visitor_key(user_id=user.pk, session_key="")
        )
        return groups.join_group(
            buyer=user,
            group=group,
            share=share,
            idempotency_key=f"demo-group-{n}",
            address_id=address,
        )

    def visits(share, count: int):
        for v in range(count):
            shares.record_visit(
                share=share,
                visitor=shares.visitor_key(
                    user_id=None, session_key=f"demo-{share.pk}-{v}"
                ),
            )

    # A group that fills: the leader shares on WeChat, two friends join.
    leader = start(0)
    _pay(leader)
    group = leader.member.group
    wechat = shares.share_group(
        group=group, sharer=leader.member.buyer, channel="wechat"
    )
    visits(wechat, 4)
    for i in (1, 2):
        clock.advance(minutes=rng.randint(5, 90))
        _pay(join(i, group, wechat))

    # A group that fails: one friend joins through Weibo, nobody else; the
    # timer refunds both when the window closes.
    clock.advance(hours=2)
    leader = start(3)
    _pay(leader)
    group = leader.member.group
    weibo = shares.share_group(group=group, sharer=leader.member.buyer, channel="weibo")
    visits(weibo, 6)
    shares.share_group(group=group, sharer=leader.member.buyer, channel="qq")
    clock.advance(minutes=40)
    _pay(join(4, group, weibo))
    clock.advance(hours=25)
    groups.close_due_groups()
    relay_pending()

    # A group still forming, shared as a QR poster.
    clock.set(seeder.now - dt.timedelta(hours=2))
    leader = start(5)
    _pay(leader)
    poster = shares.share_group(
        group=leader.member.group, sharer=leader.member.buyer, channel="poster"
    )
    visits(poster, 3)
    seeder.world.created["group_campaigns"] = 1
