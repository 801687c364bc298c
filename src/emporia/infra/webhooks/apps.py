from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "emporia.infra.webhooks"
    label = "webhooks"
    verbose_name = "Outgoing webhooks"
