from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "emporia.core.pricing"
    label = "pricing"
