"""Drop the one-column indexes that a composite index or unique constraint
leading with the same column makes redundant (it serves every lookup
they did, and each costs every INSERT one more B-tree write):

- catalog_product.shop_id (covered by product_slug_per_shop)
- catalog_sku.product_id (covered by sku_code_per_product)

Only the index goes (DROP INDEX): AlterField would make SQLite copy the
whole table into a new one, which also drops the triggers on it.
"""

import django.db.models.deletion
from django.db import migrations, models

from emporia.infra.schema import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_product_status_change'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='product',
                    name='shop',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='products', to='accounts.shop'),
                ),
                migrations.AlterField(
                    model_name='sku',
                    name='product',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='skus', to='catalog.product'),
                ),
            ],
            database_operations=[
                drop_index('catalog_product', 'shop_id', 'catalog_product_shop_id_8ebb3f92'),
                drop_index('catalog_sku', 'product_id', 'catalog_sku_product_id_6332277c'),
            ],
        ),
    ]
