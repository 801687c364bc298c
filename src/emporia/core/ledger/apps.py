from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "emporia.core.ledger"
    label = "ledger"
