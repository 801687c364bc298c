from django.apps import AppConfig


class FulfilmentConfig(AppConfig):
    name = "emporia.core.fulfilment"
    label = "fulfilment"
