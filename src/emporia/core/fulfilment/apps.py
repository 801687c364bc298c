from django.apps import AppConfig


class FulfilmentConfig(AppConfig):
    name = "emporia.core.fulfilment"
    label = "fulfilment"

    def ready(self):
        # Register the event topics in every process, not only where a view
        # happens to import them: the job scheduler's outbox relay loads
        # stored events by topic.
        from . import events  # noqa: F401
