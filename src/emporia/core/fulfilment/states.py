"""Return request states and their transition table."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from emporia.kernel.errors import InvalidTransition

from .models import ReturnRequest

R = ReturnRequest.Status

TRANSITIONS: dict[str, frozenset[str]] = {
    R.REQUESTED: frozenset({R.APPROVED, R.REJECTED, R.CANCELLED}),
    R.APPROVED: frozenset({R.SHIPPED_BACK, R.RECEIVED, R.CANCELLED}),
    R.SHIPPED_BACK: frozenset({R.RECEIVED}),
    R.RECEIVED: frozenset({R.REFUNDED}),
    R.REJECTED: frozenset(),
    R.REFUNDED: frozenset(),
    R.CANCELLED: frozenset(),
}
OPEN = frozenset({R.REQUESTED, R.APPROVED, R.SHIPPED_BACK, R.RECEIVED})

# The return status labels this app's messages name, marked so that its
# catalog translates them as the web pages do (order statuses come from
# orders.states.status_words).
_STATUS_LABELS = (
    gettext_noop("Requested"),
    gettext_noop("Approved"),
    gettext_noop("Rejected"),
    gettext_noop("Shipped back"),
    gettext_noop("Received by the shop"),
)


def status_word(label: str) -> str:
    """A status label as a word inside a message, in the request's language
    ("paid" in English, "已付款" in Chinese)."""
    return _(str(label)).lower()


def check(old: str, new: str) -> None:
    if new not in TRANSITIONS.get(old, frozenset()):
        raise InvalidTransition(
            _("A return cannot go from %(old)s to %(new)s")
            % {"old": status_word(R(old).label), "new": status_word(R(new).label)}
        )
