"""Orchard reads: the buyer's orchard page and the prizes on offer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Sum

from emporia.kernel import clock

from .. import growth_conf
from ..models import BrowseVisit, OrchardPrize, Tree, WaterGrant
from ..services import orchard as orchard_services


@dataclass(frozen=True)
class PrizeView:
    id: int
    sku_id: int
    product_id: int
    name: str
    label: str


@dataclass(frozen=True)
class TaskView:
    task: str
    label: str
    water: int
    done: int
    per_day: int

    @property
    def available(self) -> bool:
        return self.done < self.per_day


@dataclass(frozen=True)
class TreeView:
    id: int
    prize: PrizeView
    water: int
    stage: str
    stage_index: int
    ripe_at: int
    next_stage: str | None
    next_at: int | None
    percent: int
    ripe: bool
    status: str
    planted_at: dt.datetime
    prize_order_id: int | None


@dataclass(frozen=True)
class OrchardPage:
    tree: TreeView | None
    tasks: list[TaskView]
    water_today: int
    daily_cap: int
    browse_seconds: int
    browse_token: str | None
    browse_started_at: dt.datetime | None
    browse_left: int | None  # seconds until the browse water can be claimed
    prizes: list[PrizeView]
    stages: list[tuple[str, int]]
    grants: list[WaterGrant]
    past_trees: list[TreeView]


def _prize(prize: OrchardPrize, language: str | None = None) -> PrizeView:
    sku = prize.sku
    return PrizeView(
        id=prize.pk,
        sku_id=sku.pk,
        product_id=sku.product_id,
        name=sku.product.name(language) if language else sku.product.name(),
        label=sku.label(),
    )


def prizes(*, language: str | None = None) -> list[PrizeView]:
    """The fruit on offer, oldest first."""
    return [
        _prize(p, language)
        for p in OrchardPrize.objects.filter(is_active=True)
        .select_related("sku__product")
        .order_by("id")
    ]


def tree_view(tree: Tree, language: str | None = None) -> TreeView:
    stages = growth_conf.orchard()["stages"]
    stage = orchard_services.stage_of(tree.water)
    index = [name for name, _ in stages].index(stage)
    nxt = stages[index + 1] if index + 1 < len(stages) else None
    ripe_at = stages[-1][1]
    return TreeView(
        id=tree.pk,
        prize=_prize(tree.prize, language),
        water=tree.water,
        stage=stage,
        stage_index=index,
        ripe_at=ripe_at,
        next_stage=nxt[0] if nxt else None,
        next_at=nxt[1] if nxt else None,
        percent=min(100, tree.water * 100 // ripe_at) if ripe_at else 100,
        ripe=tree.water >= ripe_at,
        status=tree.status,
        planted_at=tree.planted_at,
        prize_order_id=tree.prize_order_id,
    )


def orchard_page(*, user, language: str | None = None) -> OrchardPage:
    """Everything the orchard page shows for one buyer, today."""
    conf = growth_conf.orchard()
    today = orchard_services.local_day()
    trees = list(
        Tree.objects.filter(owner=user)
        .select_related("prize__sku__product")
        .order_by("-planted_at", "-id")
    )
    growing = next((t for t in trees if t.status == Tree.Status.GROWING), None)
    grants_today = WaterGrant.objects.filter(owner=user, day=today)
    done = {
        row["task"]: row["n"]
        for row in grants_today.values("task").annotate(n=Count("id"))
    }
    tasks = [
        TaskView(
            task=task,
            label=WaterGrant.Task(task).label,
            water=amount,
            done=done.get(task, 0),
            per_day=per_day,
        )
        for task, (amount, per_day) in conf["tasks"].items()
    ]
    visit = (
        BrowseVisit.objects.filter(owner=user, day=today, claimed_at=None)
        .order_by("-started_at")
        .first()
    )
    return OrchardPage(
        tree=tree_view(growing, language) if growing else None,
        tasks=tasks,
        water_today=grants_today.aggregate(s=Sum("amount"))["s"] or 0,
        daily_cap=conf["daily_water_cap"],
        browse_seconds=conf["browse_seconds"],
        browse_token=visit.token if visit else None,
        browse_started_at=visit.started_at if visit else None,
        browse_left=browse_seconds_left(visit) if visit else None,
        prizes=prizes(language=language),
        stages=list(conf["stages"]),
        grants=list(
            WaterGrant.objects.filter(owner=user).order_by("-granted_at", "-id")[:20]
        ),
        past_trees=[tree_view(t, language) for t in trees if t is not growing],
    )


def browse_seconds_left(visit: BrowseVisit) -> int:
    seconds = growth_conf.orchard()["browse_seconds"]
    elapsed = (clock.now() - visit.started_at).total_seconds()
    return max(0, int(seconds - elapsed + 0.999))
