from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "emporia.core.orders"
    label = "orders"

    def ready(self):
        from . import jobs  # noqa: F401  (registers the order timers)
