"""Return request states and their transition table."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from emporia.infra.words import StatusWords
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

# A return status as it reads inside a message, in the request's language
# (order statuses are orders.states.status_words).
return_status_words = StatusWords(
    R,
    {
        R.REQUESTED: pgettext_lazy("return status", "requested"),
        R.APPROVED: pgettext_lazy("return status", "approved"),
        R.REJECTED: pgettext_lazy("return status", "rejected"),
        R.SHIPPED_BACK: pgettext_lazy("return status", "shipped back"),
        R.RECEIVED: pgettext_lazy("return status", "received by the shop"),
        R.REFUNDED: pgettext_lazy("return status", "refunded"),
        R.CANCELLED: pgettext_lazy("return status", "cancelled"),
    },
)


def check(old: str, new: str) -> None:
    if new not in TRANSITIONS.get(old, frozenset()):
        raise InvalidTransition(
            _("A return cannot go from %(old)s to %(new)s")
            % {"old": return_status_words(old), "new": return_status_words(new)}
        )
