"""Scoring trades: facts → signals → score → ``TradeAssessment`` rows.

``score_pending`` (the ``c2c.governance_score`` job) scores trades whose
facts changed (queued by ``handlers``), plus every trade inside a ring it
finds; ``rescore_all`` (``manage.py c2c_governance_rescore``) scores every
trade of the window. Both build the trade graph once per run and write in
bulk; scoring the same trade twice is harmless, so two runs at once are too.

An operator's decision sticks: a dismissed trade stays dismissed unless a
signal it did not have appears; a penalised one stays penalised. Trades at
or above ``AUTO_PENALTY_SCORE`` are penalised by the job itself
(``services.apply_penalty(automatic=True)``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction

from emporia.infra.sql import insert_or_nothing
from emporia.kernel import clock
from emporia.kernel.money import Money

from .. import reasons
from ..models import TradeAssessment, TradeScoreRequest
from . import config, detectors, facts, services
from .detectors import Evidence, ShopTimeline
from .rings import Rings

S = TradeAssessment.Status


@dataclass
class Context:
    """What one scoring run shares across batches: the window, the rings, the
    shops' timelines (loaded on first use)."""

    since: dt.datetime
    rings: Rings
    owners: dict[int, int]
    thresholds: detectors.Thresholds
    timelines: dict[int, ShopTimeline] = field(default_factory=dict)

    def timeline(self, shop_id: int) -> ShopTimeline:
        return self.timelines[shop_id]

    def load_timelines(self, shop_ids: Sequence[int]) -> None:
        missing = sorted(set(shop_ids) - set(self.timelines))
        if missing:
            t = self.thresholds
            since = self.since - dt.timedelta(
                days=t.burst_baseline_days, hours=t.burst_window_hours
            )
            self.timelines.update(facts.timelines(missing, since))


def build_context() -> Context:
    since = clock.now() - dt.timedelta(days=config.get("WINDOW_DAYS"))
    rings, owners = facts.trade_graph(since, config.ring_rules())
    return Context(since, rings, owners, config.thresholds())


def assess(trade: detectors.Trade, f: facts.Facts, ctx: Context) -> list[Evidence]:
    """Every signal that fires for one trade, strongest first."""
    buyer = f.accounts[trade.buyer_id]
    roles = f.people.get(trade.shop_id, {})
    sellers = [f.accounts[u] for u in roles if u in f.accounts]
    found: list[Evidence] = []
    found += detectors.self_trade(trade, buyer, roles)
    if not found:  # the shop's own people buying: the sharing signals say nothing more
        payer = f.trade_payer.get(trade.order_id)
        if payer is not None:
            found += detectors.shared(
                "payers",
                "shared_payer",
                buyer,
                sellers,
                mine={payer.value: payer},
            )
        found += detectors.shared("devices", "shared_device", buyer, sellers)
        found += detectors.shared("ips", "shared_ip", buyer, sellers, show=str)
        address = f.trade_address.get(trade.order_id)
        if address is not None:
            found += [
                Evidence(e.signal, e.weight, {**e.params, "value": trade.address_text})
                for e in detectors.shared(
                    "addresses",
                    "shared_address",
                    buyer,
                    sellers,
                    mine={address.value: address},
                )
            ]
        owner = ctx.owners.get(trade.shop_id)
        ring = ctx.rings.shared(trade.buyer_id, owner) if owner else None
        if ring is not None:
            cycle = ctx.rings.cycle(ring, trade.buyer_id, owner)
            names = {
                u: f.accounts[u].name if u in f.accounts else f"#{u}" for u in cycle
            }
            found.append(
                Evidence(
                    "ring",
                    detectors.WEIGHTS["ring"],
                    {
                        "size": len(ring.members),
                        "orders": ring.orders,
                        "share": round(100 * ring.share),
                        "cycle": " → ".join(names[u] for u in cycle),
                    },
                )
            )
    timeline = ctx.timeline(trade.shop_id)
    found += detectors.order_burst(trade, buyer, timeline, ctx.thresholds)
    found += detectors.review_burst(trade, buyer, timeline, ctx.thresholds)
    if trade.value_minor <= ctx.thresholds.token_value_minor:  # format only then
        found += detectors.token_fast_confirm(
            trade,
            ctx.thresholds,
            Money(trade.value_minor, trade.currency).format("en"),
        )
    return sorted(found, key=lambda e: -e.weight)


def score_orders(order_ids: Sequence[int], ctx: Context) -> dict[int, int]:
    """Score these trades and write their assessments; returns order → score.
    Trades at the automatic threshold are penalised."""
    f = facts.load(order_ids)
    ctx.load_timelines(sorted({t.shop_id for t in f.trades.values()}))
    now = clock.now()
    flag_at = config.get("FLAG_SCORE")
    results = {}
    for order_id, trade in f.trades.items():
        evidence = assess(trade, f, ctx)
        results[order_id] = (
            trade,
            evidence,
            detectors.combine(e.weight for e in evidence),
        )
    with transaction.atomic():
        _write(results, now, flag_at)
    auto = config.get("AUTO_PENALTY_SCORE")
    if auto is not None:
        _auto_penalise([oid for oid, (_, _, score) in results.items() if score >= auto])
    return {oid: score for oid, (_, _, score) in results.items()}


def _write(results: dict, now, flag_at: int) -> None:
    existing = {
        oid: (status, set(signals))
        for part in facts.chunks(list(results))
        for oid, status, signals in TradeAssessment.objects.filter(
            order_id__in=part
        ).values_list("order_id", "status", "signals")
    }
    rows = []
    for oid, (trade, evidence, score) in results.items():
        if score == 0 and oid not in existing:
            continue
        codes = [e.signal for e in evidence]
        status = S.FLAGGED if score >= flag_at else S.CLEAR
        old_status, old_codes = existing.get(oid, (None, set()))
        if old_status == S.PENALISED or (
            old_status == S.DISMISSED and set(codes) <= old_codes
        ):
            status = old_status
        rows.append(
            TradeAssessment(
                order_id=oid,
                shop_id=trade.shop_id,
                buyer_id=trade.buyer_id,
                score=score,
                signals=codes,
                evidence=[e.as_dict() for e in evidence],
                status=status,
                scored_at=now,
            )
        )
    TradeAssessment.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["order"],
        update_fields=["score", "signals", "evidence", "status", "scored_at"],
    )


def _auto_penalise(order_ids: list[int]) -> None:
    by_shop = defaultdict(list)
    for oid, shop_id in TradeAssessment.objects.filter(
        order_id__in=order_ids, status=S.FLAGGED
    ).values_list("order_id", "shop_id"):
        by_shop[shop_id].append(oid)
    for shop_id, ids in sorted(by_shop.items()):
        services.apply_penalty(
            shop_id=shop_id,
            order_ids=sorted(ids),
            measures=list(config.get("AUTO_MEASURES")),
            reason=reasons.AUTO_PENALTY.text(score=config.get("AUTO_PENALTY_SCORE")),
            by=None,
        )


def score_pending(*, limit: int | None = None) -> int:
    """Score queued trades (and every trade inside a ring found); returns how
    many trades were scored."""
    limit = limit or config.get("BATCH_SIZE")
    queued = list(
        TradeScoreRequest.objects.order_by("requested_at", "id").values_list(
            "id", "order_id"
        )[:limit]
    )
    if not queued:
        return 0
    ctx = build_context()
    wanted = {oid for _, oid in queued}
    # A new trade can close a ring: every trade inside a ring is rescored
    # (rings are small, and rescoring is harmless).
    in_rings = set(facts.orders_among(ctx.rings.members(), ctx.owners, ctx.since))
    ids = sorted(wanted | in_rings)
    done = 0
    for part in facts.chunks(ids, config.get("BATCH_SIZE")):
        done += len(score_orders(part, ctx))
    TradeScoreRequest.objects.filter(pk__in=[pk for pk, _ in queued]).delete()
    return done


def rescore_all(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Score every trade placed in the window; returns how many."""
    ctx = build_context()
    ids = facts.order_ids_since(ctx.since)
    done = 0
    for part in facts.chunks(ids, config.get("BATCH_SIZE")):
        done += len(score_orders(part, ctx))
        if progress is not None:
            progress(done, len(ids))
    return done


def request_scoring(*, order_ids: Sequence[int]) -> None:
    """Queue trades for the scoring job (idempotent). One order (each order
    event asks for its own) is one statement, with no savepoint."""
    now = clock.now()
    if len(order_ids) == 1:
        insert_or_nothing(
            TradeScoreRequest,
            {"order_id": order_ids[0], "requested_at": now},
            conflict=("order_id",),
        )
        return
    with transaction.atomic():
        TradeScoreRequest.objects.bulk_create(
            [TradeScoreRequest(order_id=oid, requested_at=now) for oid in order_ids],
            ignore_conflicts=True,
        )
