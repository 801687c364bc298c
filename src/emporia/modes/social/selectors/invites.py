"""Invite reads: a buyer's invite page, and per-day figures for reports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from emporia.core.ledger import selectors as ledger_selectors
from emporia.core.ledger import services as ledger
from emporia.kernel.money import Money

from .. import growth_conf
from ..models import Invite, InviteReward
from ..services import invites as invite_services


@dataclass(frozen=True)
class InviteeRow:
    invite_id: int
    name: str
    joined_at: dt.datetime
    status: str  # joined | rewarded | blocked
    reward: Money | None


@dataclass(frozen=True)
class CreditLine:
    occurred_at: dt.datetime
    memo: str
    kind: str
    credit: Money  # grew the balance
    debit: Money  # spent it


@dataclass(frozen=True)
class InvitePage:
    code: str
    path: str
    balance: Money
    invitees: list[InviteeRow]
    lines: list[CreditLine]
    rewarded: int
    reward: Money
    daily_cap: int
    total_cap: int


def mask(name: str) -> str:
    """Invitees are shown to their inviter half hidden: "Li Lei" → "L***i"."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name + "***"
    return f"{name[0]}***{name[-1]}"


def credit_account(user_id: int, currency: str | None = None) -> str:
    return ledger.user_account(
        user_id, "credit", currency or growth_conf.invites()["currency"]
    )


def credit_balance(*, user) -> Money:
    """The buyer's platform credit from invite rewards (a ledger balance)."""
    return ledger_selectors.balance(credit_account(user.pk))


def invite_page(*, user, lines: int = 20) -> InvitePage:
    """What the buyer's invite page shows: their code and link, the people
    they invited with a neutral status (a blocked invite is "not eligible";
    the reason is for operators), the credit balance and its ledger lines."""
    code = invite_services.referral_code_for(user=user)
    conf = growth_conf.invites()
    invites = (
        Invite.objects.filter(inviter=user)
        .select_related("invitee", "reward")
        .order_by("-bound_at", "-id")
    )
    rows = [
        InviteeRow(
            invite_id=i.pk,
            name=mask(i.invitee.display_name),
            joined_at=i.bound_at,
            status=i.status,
            reward=(
                Money(i.reward.amount_minor, i.reward.currency)
                if i.status == Invite.Status.REWARDED
                else None
            ),
        )
        for i in invites
    ]
    postings = ledger_selectors.postings_for(credit_account(user.pk))[:lines]
    return InvitePage(
        code=code.code,
        path=f"/i/{code.code}/",
        balance=credit_balance(user=user),
        invitees=rows,
        lines=[
            CreditLine(
                occurred_at=p.entry.occurred_at,
                memo=p.entry.memo,
                kind=p.entry.kind,
                credit=Money(p.credit_minor, p.currency),
                debit=Money(p.debit_minor, p.currency),
            )
            for p in postings
        ],
        rewarded=sum(1 for r in rows if r.status == Invite.Status.REWARDED),
        reward=invite_services.reward_amount(),
        daily_cap=conf["daily_cap"],
        total_cap=conf["total_cap"],
    )


@dataclass(frozen=True)
class InviteDay:
    day: dt.date
    invites: int  # invitees bound that day
    rewarded: int  # rewards decided that day
    blocked: int
    cost: Money  # rewards paid that day (marketing expense)


def invite_stats(
    *, start: dt.date, end: dt.date, currency: str = "CNY"
) -> list[InviteDay]:
    """Per local day from ``start`` to ``end`` (inclusive): invitees bound,
    rewards paid and refused, and what the rewards cost — for the fission /
    acquisition-cost report. Three queries whatever the range."""
    if end < start:
        return []
    bound: dict[dt.date, int] = defaultdict(int)
    for at in Invite.objects.filter(
        bound_at__date__gte=start - dt.timedelta(days=1),
        bound_at__date__lte=end + dt.timedelta(days=1),
    ).values_list("bound_at", flat=True):
        bound[invite_services.local_day(at)] += 1
    decided = {
        r["day"]: r
        for r in InviteReward.objects.filter(day__gte=start, day__lte=end)
        .values("day")
        .annotate(
            rewarded=Count("id", filter=Q(outcome="rewarded")),
            blocked=Count("id", filter=Q(outcome="blocked")),
            cost=Sum("amount_minor", filter=Q(outcome="rewarded", currency=currency)),
        )
    }
    out = []
    day = start
    while day <= end:
        row = decided.get(day, {})
        out.append(
            InviteDay(
                day=day,
                invites=bound.get(day, 0),
                rewarded=row.get("rewarded", 0),
                blocked=row.get("blocked", 0),
                cost=Money(row.get("cost") or 0, currency),
            )
        )
        day += dt.timedelta(days=1)
    return out


def blocked_reasons(*, start: dt.date, end: dt.date) -> dict[str, int]:
    """How many invites each abuse rule refused in the range (operators)."""
    return dict(
        InviteReward.objects.filter(outcome="blocked", day__gte=start, day__lte=end)
        .values_list("reason")
        .annotate(n=Count("id"))
        .values_list("reason", "n")
    )
