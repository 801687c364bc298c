"""Drop the one-column indexes that a composite index or unique constraint
leading with the same column makes redundant (it serves every lookup
they did, and each costs every INSERT one more B-tree write):

- inventory_location.shop_id (covered by location_code_per_shop)
- inventory_stockitem.sku_id (covered by stock_per_sku_location)

Only the index goes (DROP INDEX): AlterField would make SQLite copy the
whole table into a new one, which also drops the triggers on it.
"""

import django.db.models.deletion
from django.db import migrations, models

from emporia.infra.schema import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('inventory', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='location',
                    name='shop',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='locations', to='accounts.shop'),
                ),
                migrations.AlterField(
                    model_name='stockitem',
                    name='sku',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='stock', to='catalog.sku'),
                ),
            ],
            database_operations=[
                drop_index('inventory_location', 'shop_id', 'inventory_location_shop_id_f7876220'),
                drop_index('inventory_stockitem', 'sku_id', 'inventory_stockitem_sku_id_0e6027d4'),
            ],
        ),
    ]
