"""The reasons inventory stores with a stock movement, in English; pages
show them in the reader's language (``emporia.infra.reasons``, ADR 12)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from emporia.infra.reasons import stored_reason

# A receipt given no reason of its own.
GOODS_RECEIVED = stored_reason(gettext_noop("Goods received"))
