"""The reasons and ledger memos payments stores, in English; pages show them
in the reader's language (``emporia.infra.reasons``, ADR 12)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from emporia.infra.reasons import stored_reason

# Why a free order is paid at once (also the error when nothing is given).
NOTHING_TO_PAY = stored_reason(gettext_noop("Nothing to pay"))
# A payment captured after its order was cancelled: refunded at once.
PAID_AFTER_CANCEL = stored_reason(gettext_noop("Paid after the order was cancelled"))

# Ledger memos. ``account`` is masked ("**** 1234").
CAPTURED = stored_reason(gettext_noop("Payment for order %(number)s"))
PAYOUT = stored_reason(gettext_noop("Payout to bank account %(account)s"))
