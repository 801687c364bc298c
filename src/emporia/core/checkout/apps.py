from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "emporia.core.checkout"
    label = "checkout"
