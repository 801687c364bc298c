from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "emporia.core.payments"
    label = "payments"
