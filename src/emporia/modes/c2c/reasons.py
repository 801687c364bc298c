"""The reasons, scan notes and ledger memos C2C stores, in English; pages
show them in the reader's language (``emporia.infra.reasons``, ADR 12).
What an operator, a buyer or a seller typed (a penalty's reason, a ruling's
note) goes into them as a value and is shown as typed."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from emporia.infra.reasons import stored_reason

from .states.disputes import DisputeOutcome, DisputeReason

# --- doorstep pickup (the booking's scans) ---------------------------------------

PICKUP_BOOKED = stored_reason(gettext_noop("Booked with %(courier)s"))
PICKUP_CONFIRMED = stored_reason(gettext_noop("Confirmed by %(courier)s"))
PICKUP_CANCELLED = stored_reason(gettext_noop("Cancelled by the buyer"))
PICKUP_REBOOKED = stored_reason(gettext_noop("Rebooked to another window"))

# --- disputes (their history; the order's and the refund's) ----------------------

# One whole sentence per reason and per outcome (ADR 12), as stored before.
DISPUTE_OPENED = {
    DisputeReason.NOT_RECEIVED: stored_reason(gettext_noop("Opened: Not received")),
    DisputeReason.NOT_AS_DESCRIBED: stored_reason(
        gettext_noop("Opened: Not as described")
    ),
}
DISPUTE_ANSWERED = stored_reason(gettext_noop("The seller answered"))
DISPUTE_WITHDRAWN = stored_reason(gettext_noop("Withdrawn by the buyer"))
# ``note`` is the operator's.
DISPUTE_RULED = {
    DisputeOutcome.REFUND_FULL: stored_reason(gettext_noop("Full refund: %(note)s")),
    DisputeOutcome.REFUND_PARTIAL: stored_reason(
        gettext_noop("Partial refund: %(note)s")
    ),
    DisputeOutcome.RELEASE: stored_reason(
        gettext_noop("Released to the seller: %(note)s")
    ),
}
# The refund's and the order's reason after a ruling.
DISPUTE_SETTLED = {
    DisputeOutcome.REFUND_FULL: stored_reason(
        gettext_noop("Dispute #%(number)s ruled: Full refund")
    ),
    DisputeOutcome.REFUND_PARTIAL: stored_reason(
        gettext_noop("Dispute #%(number)s ruled: Partial refund")
    ),
    DisputeOutcome.RELEASE: stored_reason(
        gettext_noop("Dispute #%(number)s ruled: Released to the seller")
    ),
}

# --- escrow and credit ---------------------------------------------------------

ESCROW_EXTENDED = stored_reason(
    gettext_noop("Buyer extended the automatic confirmation by %(days)s days")
)
RATING_REPLIED = stored_reason(gettext_noop("Shop replied"))
# The next rating of the day earns the points of an excluded order's.
RATING_PROMOTED = stored_reason(gettext_noop("Order %(number)s excluded"))

# --- trade governance ----------------------------------------------------------

# ``reason`` is the penalty's: the operator's words or AUTO_PENALTY.
PENALTY = stored_reason(
    gettext_noop("Governance penalty %(number)s: %(reason)s"), nested=("reason",)
)
# ``reason`` is the lift's: the operator's words or APPEAL_GRANTED.
PENALTY_LIFTED = stored_reason(
    gettext_noop("Governance penalty %(number)s lifted: %(reason)s"),
    nested=("reason",),
)
APPEAL_GRANTED = stored_reason(gettext_noop("Appeal granted: %(note)s"))
AUTO_PENALTY = stored_reason(
    gettext_noop("Automatic: fake-trade score at or above %(score)s")
)

# --- keyword ads (ledger memo) -------------------------------------------------

# ``keyword`` is stored quoted, as Python's repr() writes it.
AD_CLICK = stored_reason(gettext_noop("Ad click on keyword %(keyword)s"))
