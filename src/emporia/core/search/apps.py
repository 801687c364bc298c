from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "emporia.core.search"
    label = "search"

    def ready(self):
        from emporia.core.catalog.events import ProductChanged
        from emporia.infra.outbox.services import subscribe

        from . import handlers

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
