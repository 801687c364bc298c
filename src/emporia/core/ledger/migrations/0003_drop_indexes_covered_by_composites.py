"""Drop the one-column indexes that a composite index or unique constraint
leading with the same column makes redundant (it serves every lookup
they did, and each costs every INSERT one more B-tree write):

- ledger_posting.account_id (covered by posting_account)

Only the index goes (DROP INDEX): AlterField would make SQLite copy the
whole table into a new one, which also drops the triggers on it: here the
ledger's append-only triggers on ledger_posting.
"""

import django.db.models.deletion
from django.db import migrations, models

from emporia.infra.schema import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0002_integrity_triggers'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='posting',
                    name='account',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='postings', to='ledger.account'),
                ),
            ],
            database_operations=[
                drop_index('ledger_posting', 'account_id', 'ledger_posting_account_id_964f801d'),
            ],
        ),
    ]
