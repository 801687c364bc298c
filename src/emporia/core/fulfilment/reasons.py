"""The reasons and scan notes fulfilment stores, in English; pages show them
in the reader's language (``emporia.infra.reasons``, ADR 12)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from emporia.infra.reasons import stored_reason

# The first tracking event of a shipment.
HANDED_TO = stored_reason(gettext_noop("Handed to %(carrier)s"))
# Order history. Carrier and tracking number sit side by side: the Chinese
# keeps them so, as the two cannot be told apart when read back.
SHIPPED_WITH = stored_reason(gettext_noop("Shipped with %(carrier)s %(tracking)s"))
DELIVERED_BY = stored_reason(gettext_noop("Delivered by %(carrier)s"))

# Return history (the request's own reason is the buyer's, stored as typed).
RETURN_APPROVED = stored_reason(gettext_noop("Approved by the shop"))
RETURN_CANCELLED = stored_reason(gettext_noop("Cancelled by the buyer"))
SENT_BACK = stored_reason(gettext_noop("Sent back with %(carrier)s"))
PARCEL_RECEIVED = stored_reason(gettext_noop("Parcel received by the shop"))
RETURN_REFUNDED = stored_reason(gettext_noop("Refunded"))
# The stock movement of the units put back.
RETURN_RESTOCKED = stored_reason(gettext_noop("Return received"))
# The refund's reason (and ledger memo): ``reason`` is what the buyer typed.
RETURN_REFUND = stored_reason(gettext_noop("Return #%(number)s: %(reason)s"))
