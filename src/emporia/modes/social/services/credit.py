"""Spending invite credit at checkout — 余额抵扣.

A buyer who opts in (checkout option ``use_credit``) pays part or all of the
checkout with the platform credit their invites earned
(``user:<id>:credit:CNY``, a ledger balance). ``InviteCreditAdjuster`` is a
``checkout.order_adjusters`` entry, registered last so it sees shipping and
every other discount: it spends ``min(balance, what the checkout still
costs)`` and splits it across the checkout's shop orders in proportion to
what each still costs (``Money.allocate``: no cent lost, no order below zero),
each share a **funded discount** from the credit account. The core then posts
Dr credit / Cr the shop's escrow when the orders are placed, under a lock on
the credit account that refuses the whole checkout if the balance no longer
covers it — so two checkouts racing for one balance cannot overspend it. A
cancelled unpaid order gives its share back (the core reverses the funding);
an order refunded in full gives it back too (``orders.refund_funding``).
"""

from __future__ import annotations

from emporia.core.checkout.extensions import Adjustment, OrderDraft
from emporia.core.ledger import selectors as ledger_selectors
from emporia.core.ledger import services as ledger
from emporia.kernel.money import Money

from .. import growth_conf, reasons

USE_CREDIT = "use_credit"
CREDIT_LABEL = reasons.INVITE_CREDIT.text()


def credit_code(user_id: int, currency: str) -> str:
    """The ledger account of a buyer's invite credit in one currency."""
    return ledger.user_account(user_id, "credit", currency)


def credit_shares(balance: Money, dues: list[Money]) -> list[Money]:
    """How much credit each shop order of a checkout gets: the credit spent
    is ``min(balance, Σ dues)``, split in proportion to the dues without
    losing a cent; a share is never more than its order's due. Pure."""
    currency = balance.currency
    owed = sum(d.minor for d in dues)
    spend = min(max(balance.minor, 0), owed)
    if spend <= 0:
        return [Money.zero(currency) for _ in dues]
    if spend == owed:
        return [Money(d.minor, currency) for d in dues]
    return Money(spend, currency).allocate([d.minor for d in dues])


class InviteCreditAdjuster:
    """``checkout.order_adjusters``: when the buyer chose ``use_credit`` and
    the checkout is in the credit's currency, each shop order gets its share
    of the buyer's credit (``credit_shares`` over ``OrderDraft.checkout``) as
    a discount funded by ``user:<buyer>:credit:<currency>``. One balance
    query per shop order; no writes."""

    def adjust(self, draft: OrderDraft) -> list[Adjustment]:
        currency = growth_conf.invites()["currency"]
        if not draft.options.get(USE_CREDIT) or draft.currency != currency:
            return []
        if not draft.buyer_id:
            return []
        code = credit_code(draft.buyer_id, currency)
        balance = ledger_selectors.balance(code, currency)
        drafts = draft.checkout or (draft,)
        shares = credit_shares(balance, [d.due for d in drafts])
        mine = next(
            (s for d, s in zip(drafts, shares, strict=True) if d.key == draft.key),
            Money.zero(currency),
        )
        if mine.minor <= 0:
            return []
        return [Adjustment("discount", mine, CREDIT_LABEL, funded_by=code)]
