"""Dispute states.

``open`` (waiting for the seller) → ``answered`` → ``ruled``; the buyer may
withdraw while it is open or answered; an operator may rule an open dispute
once the seller's answer window has passed. ``ruled`` and ``withdrawn`` are
final. The ruling's outcome (full refund, partial refund, release) is kept
beside the status, not as more states.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from emporia.infra.words import StatusWords
from emporia.kernel.errors import InvalidTransition


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Waiting for the seller"
    ANSWERED = "answered", "Answered by the seller"
    RULED = "ruled", "Ruled by the platform"
    WITHDRAWN = "withdrawn", "Withdrawn by the buyer"


class DisputeReason(models.TextChoices):
    NOT_RECEIVED = "not_received", "Not received"
    NOT_AS_DESCRIBED = "not_as_described", "Not as described"


class DisputeOutcome(models.TextChoices):
    REFUND_FULL = "refund_full", "Full refund"
    REFUND_PARTIAL = "refund_partial", "Partial refund"
    RELEASE = "release", "Released to the seller"


S = DisputeStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.OPEN: frozenset({S.ANSWERED, S.RULED, S.WITHDRAWN}),
    S.ANSWERED: frozenset({S.RULED, S.WITHDRAWN}),
    S.RULED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

OPEN_STATES = frozenset({S.OPEN, S.ANSWERED})

# A status as it reads inside a message, in the request's language.
dispute_status_words = StatusWords(
    DisputeStatus,
    {
        S.OPEN: pgettext_lazy("dispute status", "waiting for the seller"),
        S.ANSWERED: pgettext_lazy("dispute status", "answered by the seller"),
        S.RULED: pgettext_lazy("dispute status", "ruled by the platform"),
        S.WITHDRAWN: pgettext_lazy("dispute status", "withdrawn by the buyer"),
    },
)


def check(old: str, new: str) -> None:
    """Raise InvalidTransition unless ``old → new`` is in the table."""
    if new not in TRANSITIONS.get(old, frozenset()):
        raise InvalidTransition(
            _("A dispute that is %(old)s cannot become %(new)s")
            % {"old": dispute_status_words(old), "new": dispute_status_words(new)},
            old=old,
            new=new,
        )
