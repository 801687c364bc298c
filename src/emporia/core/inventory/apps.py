from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "emporia.core.inventory"
    label = "inventory"
