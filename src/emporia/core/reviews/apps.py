from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "emporia.core.reviews"
    label = "reviews"

    def ready(self):
        # Register the event topics in every process, not only where a view
        # happens to import them: the job scheduler's outbox relay loads
        # stored events by topic.
        from . import events  # noqa: F401
