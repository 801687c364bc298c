"""C2C marketplace — the Taobao model (淘宝).

Anyone opens a shop with identity details only; the buyer's money stays in
platform escrow until the goods arrive; reputation is public; sellers buy
traffic with keyword ads; the platform polices fake trades. Built on the
commerce core's extension points; the core never imports this package.
"""

from django.apps import AppConfig


class C2CConfig(AppConfig):
    name = "emporia.modes.c2c"
    label = "c2c"
    verbose_name = "C2C marketplace"

    def ready(self) -> None:
        self.ready_ads()
        self._register_trust()
        self._register_governance()
        self._register_credit()

    def ready_ads(self):
        """Keyword ads: sponsored search slots, order attribution, impression flush."""
        from emporia.core.search.extensions import sponsored_sources
        from emporia.infra.outbox.services import subscribe

        from .ads import (
            attribution,
            impressions,  # noqa: F401 (registers the flush job)
            serving,
        )

        sponsored_sources.register(serving.SOURCE, serving.KeywordAds())
        subscribe(
            "orders.order_paid",
            attribution.on_order_paid,
            name="c2c.ads.attribute_order",
        )

    def _register_trust(self) -> None:
        """Free shops, escrow disputes and doorstep pickup (c2c trust)."""
        from emporia.core.catalog.extensions import listing_policies
        from emporia.core.orders.extensions import settlement_policies

        from .carriers import SandboxCourier, pickup_carriers
        from .events import trust  # noqa: F401  (registers the topics)
        from .extensions import growth_checks
        from .selectors import disputes
        from .services.escrow import DisputeSettlementPolicy
        from .services.shops import ListingLimitPolicy

        listing_policies.register("c2c.listing_limits", ListingLimitPolicy())
        settlement_policies.register(
            "c2c.disputes", DisputeSettlementPolicy(), priority=10
        )
        pickup_carriers.register("sandbox", SandboxCourier())
        growth_checks.register("c2c.dispute_rate", disputes.dispute_rate_check)
        growth_checks.register("c2c.disputes_lost", disputes.disputes_lost_check)

    def _register_governance(self) -> None:
        """Trade governance: signals, scoring job, penalties, withholding."""
        from .governance import setup as governance

        governance.ready()

    def _register_credit(self) -> None:
        """Seller credit: the daily category averages job."""
        from .services import category_scores  # noqa: F401 (registers the job)
