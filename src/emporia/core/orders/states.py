"""The order state machine: statuses, the table of allowed transitions and a
pure ``check``. Only ``orders.services._transition`` changes a status.

::

    awaiting_payment ──► paid ──► fulfilling ──► shipped ──► delivered ──► completed
          │   ▲           │  ▲         │            │           │
          ▼   │           ▼  │         ▼            ▼           ▼
        on_hold ◄────────┘  (release)  refunded / partially_refunded
          │
          ▼
      cancelled / refunded

A hold (group forming, approval pending, in production) can come before or
after payment; releasing it returns the order to awaiting_payment or paid.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from emporia.infra.words import StatusWords
from emporia.kernel.errors import InvalidTransition


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment"
    ON_HOLD = "on_hold", "On hold"
    PAID = "paid", "Paid"
    FULFILLING = "fulfilling", "Fulfilling"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"


S = OrderStatus

# A status as it reads inside a sentence ("is now paid"), in the request's
# language.
status_words = StatusWords(
    OrderStatus,
    {
        S.AWAITING_PAYMENT: pgettext_lazy("order status", "awaiting payment"),
        S.ON_HOLD: pgettext_lazy("order status", "on hold"),
        S.PAID: pgettext_lazy("order status", "paid"),
        S.FULFILLING: pgettext_lazy("order status", "fulfilling"),
        S.SHIPPED: pgettext_lazy("order status", "shipped"),
        S.DELIVERED: pgettext_lazy("order status", "delivered"),
        S.COMPLETED: pgettext_lazy("order status", "completed"),
        S.CANCELLED: pgettext_lazy("order status", "cancelled"),
        S.REFUNDED: pgettext_lazy("order status", "refunded"),
        S.PARTIALLY_REFUNDED: pgettext_lazy("order status", "partially refunded"),
    },
)


TRANSITIONS: dict[str, frozenset[str]] = {
    S.AWAITING_PAYMENT: frozenset({S.PAID, S.ON_HOLD, S.CANCELLED}),
    S.ON_HOLD: frozenset({S.AWAITING_PAYMENT, S.PAID, S.CANCELLED, S.REFUNDED}),
    S.PAID: frozenset(
        {S.ON_HOLD, S.FULFILLING, S.SHIPPED, S.REFUNDED, S.PARTIALLY_REFUNDED}
    ),
    S.FULFILLING: frozenset({S.SHIPPED, S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.SHIPPED: frozenset({S.DELIVERED, S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.DELIVERED: frozenset({S.COMPLETED, S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.COMPLETED, S.REFUNDED, S.SHIPPED, S.DELIVERED}),
    S.COMPLETED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}

TERMINAL = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
UNPAID = frozenset({S.AWAITING_PAYMENT})
# Statuses in which the buyer's money sits in escrow (captured, not released).
PAID_STATES = frozenset(
    {S.PAID, S.FULFILLING, S.SHIPPED, S.DELIVERED, S.PARTIALLY_REFUNDED}
)


def check(old: str, new: str) -> None:
    """Raise InvalidTransition unless ``old → new`` is in the table."""
    if new not in TRANSITIONS.get(old, frozenset()):
        raise InvalidTransition(
            _("An order cannot go from %(old)s to %(new)s")
            % {"old": status_words(old), "new": status_words(new)},
            old=old,
            new=new,
        )


def can(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(old, frozenset())
