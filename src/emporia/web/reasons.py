"""The reasons the pages store for what a seller does through them, in
English; pages show them in the reader's language (``emporia.infra.reasons``,
ADR 12)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from emporia.infra.reasons import stored_reason

# The stock movement of units entered on the product editor's stock form.
STOCK_FROM_SELLER_CENTER = stored_reason(
    gettext_noop("Received through the seller center")
)
# An ad campaign paused or resumed from the seller center (its change log).
FROM_SELLER_CENTER = stored_reason(gettext_noop("seller center"))
