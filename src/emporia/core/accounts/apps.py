from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "emporia.core.accounts"
    label = "accounts"
