from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "emporia.core.orders"
    label = "orders"
