"""The governance settlement policy: escrow stays held for trades flagged as
possible fakes (until reviewed) or penalised with ``withhold_escrow``."""

from __future__ import annotations

from emporia.core.orders.extensions import Settlement

from . import selectors


class WithholdFlaggedTrades:
    """``orders.settlement_policies`` entry (priority 10, before the C2C
    escrow rules): ``release=False`` while governance holds the trade, else
    no opinion (None) so the other policies decide. Releasing later is
    ``services.dismiss_assessment`` / ``lift_penalty``'s job."""

    def decide(self, order) -> Settlement | None:
        reason = selectors.withheld_reason(order_id=order.pk)
        return Settlement(release=False, reason=reason) if reason else None
