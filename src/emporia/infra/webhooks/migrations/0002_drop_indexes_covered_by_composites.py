"""Drop the one-column indexes that a composite index or unique constraint
leading with the same column makes redundant (it serves every lookup
they did, and each costs every INSERT one more B-tree write):

- webhooks_webhookdelivery.endpoint_id (covered by delivery_once)

Only the index goes (DROP INDEX): AlterField would make SQLite copy the
whole table into a new one, which also drops the triggers on it.
"""

import django.db.models.deletion
from django.db import migrations, models

from emporia.infra.schema import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('webhooks', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='webhookdelivery',
                    name='endpoint',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='webhooks.webhookendpoint'),
                ),
            ],
            database_operations=[
                drop_index('webhooks_webhookdelivery', 'endpoint_id', 'webhooks_webhookdelivery_endpoint_id_d5bfb5c8'),
            ],
        ),
    ]
