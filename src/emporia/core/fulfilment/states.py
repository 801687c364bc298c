"""Return request states and their transition table."""

from __future__ import annotations

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


def check(old: str, new: str) -> None:
    if new not in TRANSITIONS.get(old, frozenset()):
        raise InvalidTransition(
            f"A return cannot go from {R(old).label.lower()} to {R(new).label.lower()}"
        )
