from django.apps import AppConfig
from django.db.backends.signals import connection_created

from .dbguard import install_guard


class LedgerConfig(AppConfig):
    name = "emporia.core.ledger"
    label = "ledger"

    def ready(self):
        connection_created.connect(install_guard, dispatch_uid="ledger.install_guard")
