"""The reasons and ledger memos orders stores, in English; pages show them in
the reader's language (``emporia.infra.reasons``, ADR 12)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from emporia.infra.reasons import stored_reason

PLACED = stored_reason(gettext_noop("Order placed"))
PAYMENT_CAPTURED = stored_reason(gettext_noop("Payment captured"))
# ``reason`` is why it was paid ("Payment captured"), ``hold`` the hold a
# placement policy decided ("group forming").
PAID_AND_HELD = stored_reason(
    gettext_noop("%(reason)s; on hold: %(hold)s"), nested=("reason", "hold")
)
HELD = stored_reason(gettext_noop("On hold: %(reason)s"), nested=("reason",))
HOLD_RELEASED = stored_reason(
    gettext_noop("Hold released: %(reason)s"), nested=("reason",)
)
FULFILMENT_STARTED = stored_reason(gettext_noop("Shop started fulfilment"))
SHIPPED = stored_reason(gettext_noop("Shipped"))
DELIVERED = stored_reason(gettext_noop("Delivered"))
RECEIPT_CONFIRMED = stored_reason(gettext_noop("Buyer confirmed receipt"))
DELIVERY_CONFIRMED = stored_reason(gettext_noop("Buyer confirmed delivery"))
NOT_PAID = stored_reason(gettext_noop("Not paid in time"))
AUTO_CONFIRMED = stored_reason(gettext_noop("Receipt confirmed automatically"))

# Ledger memos. ``label`` is the funded discount's (a checkout adjustment's).
FUNDED = stored_reason(gettext_noop("%(label)s — order %(number)s"), nested=("label",))
FUNDING_RETURNED = stored_reason(
    gettext_noop("Order %(number)s cancelled: funding returned")
)
FUNDING_REFUNDED = stored_reason(
    gettext_noop("Order %(number)s refunded: funding returned")
)
SETTLED = stored_reason(gettext_noop("Order %(number)s settled"))
