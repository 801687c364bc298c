from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "emporia.core.catalog"
    label = "catalog"
