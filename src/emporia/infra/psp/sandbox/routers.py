"""The sandbox gateway's tables live in its own database (``"sandbox"``).

A provider's books are not the merchant's: nothing of the platform's is
stored there, and none of the gateway's rows in the platform's database. The
gateway's code names the alias for its transactions (:data:`DATABASE`);
reads and writes of its models are sent there by this router.
"""

from __future__ import annotations

DATABASE = "sandbox"
APP_LABEL = "sandbox_psp"


class SandboxRouter:
    def db_for_read(self, model, **hints):
        return DATABASE if model._meta.app_label == APP_LABEL else None

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        ours = (obj1._meta.app_label == APP_LABEL, obj2._meta.app_label == APP_LABEL)
        # within one database only: a row of each side cannot refer to the other
        return None if ours[0] == ours[1] else False

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label == APP_LABEL:
            return db == DATABASE
        return False if db == DATABASE else None
