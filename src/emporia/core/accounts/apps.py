from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "emporia.core.accounts"
    label = "accounts"

    def ready(self):
        from . import jobs  # noqa: F401  (registers the retention job)
