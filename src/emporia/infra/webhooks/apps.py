from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "emporia.infra.webhooks"
    label = "webhooks"
    verbose_name = "Outgoing webhooks"

    def ready(self):
        from emporia.infra.outbox.services import ALL_TOPICS, subscribe

        from . import jobs  # noqa: F401  (registers webhooks.deliver)
        from .services import fan_out

        subscribe(ALL_TOPICS, fan_out, name="webhooks.fan_out", raw=True)
