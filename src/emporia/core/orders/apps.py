from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "emporia.core.orders"
    label = "orders"

    def ready(self):
        from . import (
            events,  # noqa: F401  (registers the topics for the relay)
            jobs,  # noqa: F401  (registers the order timers)
        )
