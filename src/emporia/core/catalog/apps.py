from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "emporia.core.catalog"
    label = "catalog"

    def ready(self):
        from .extensions import featured_sources
        from .featured import NewArrivals

        featured_sources.register("catalog.new_arrivals", NewArrivals(), priority=40)
        # Register the event topics in every process, not only where a view
        # happens to import them: the job scheduler's outbox relay loads
        # stored events by topic.
        from . import events  # noqa: F401
