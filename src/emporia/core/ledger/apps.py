from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate

from .dbguard import install_guard


class LedgerConfig(AppConfig):
    name = "emporia.core.ledger"
    label = "ledger"

    def ready(self):
        from .services import forget_accounts

        connection_created.connect(install_guard, dispatch_uid="ledger.install_guard")
        # flush (and migrate) may empty the accounts table under a running
        # process: what it remembers of the accounts goes with them
        post_migrate.connect(forget_accounts, dispatch_uid="ledger.forget_accounts")
