from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "emporia.core.search"
    label = "search"

    def ready(self):
        from emporia.core.catalog.events import ProductChanged
        from emporia.core.catalog.extensions import featured_sources
        from emporia.infra.outbox.services import subscribe

        from . import handlers
        from .featured import BestSellers, TopRated

        subscribe(
            ProductChanged.topic,
            handlers.reindex_changed_product,
            name="search.reindex_product",
        )
        subscribe("orders.order_paid", handlers.count_sales, name="search.count_sales")
        subscribe(
            "reviews.product_reviewed",
            handlers.update_rating,
            name="search.update_rating",
        )
        featured_sources.register("search.best_sellers", BestSellers(), priority=20)
        featured_sources.register("search.top_rated", TopRated(), priority=30)
