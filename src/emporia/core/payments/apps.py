from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "emporia.core.payments"
    label = "payments"

    def ready(self):
        # Register the event topics in every process, not only where a view
        # happens to import them: the job scheduler's outbox relay loads
        # stored events by topic.
        from . import (
            events,  # noqa: F401
            jobs,  # noqa: F401  (registers payments.purge_receipts)
        )
