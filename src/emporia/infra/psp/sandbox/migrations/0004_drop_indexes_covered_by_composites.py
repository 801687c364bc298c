"""Drop the one-column indexes that a composite index or unique constraint
leading with the same column makes redundant (it serves every lookup
they did, and each costs every INSERT one more B-tree write):

- sandbox_psp_sandboxrefund.charge_id (covered by sandbox_refund_once)

Only the index goes (DROP INDEX): AlterField would make SQLite copy the
whole table into a new one, which also drops the triggers on it.
"""

import django.db.models.deletion
from django.db import migrations, models

from emporia.infra.schema import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('sandbox_psp', '0003_c2cgov_client_capture'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='sandboxrefund',
                    name='charge',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='refunds', to='sandbox_psp.sandboxcharge'),
                ),
            ],
            database_operations=[
                drop_index('sandbox_psp_sandboxrefund', 'charge_id', 'sandbox_psp_sandboxrefund_charge_id_4e29ac78'),
            ],
        ),
    ]
