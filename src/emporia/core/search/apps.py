from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "emporia.core.search"
    label = "search"
