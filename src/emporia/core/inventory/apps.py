from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "emporia.core.inventory"
    label = "inventory"

    def ready(self):
        from . import jobs  # noqa: F401 — registers the jobs
