from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "emporia.infra.outbox"
    label = "outbox"
    verbose_name = "Event outbox"

    def ready(self):
        from . import jobs  # noqa: F401  (registers the relay job)
