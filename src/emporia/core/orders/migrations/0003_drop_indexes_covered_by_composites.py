"""Drop the one-column indexes that a composite index or unique constraint
leading with the same column makes redundant (it serves every lookup
they did, and each costs every INSERT one more B-tree write):

- orders_order.buyer_id (covered by order_buyer_recent)
- orders_order.shop_id (covered by order_shop_status)

Only the index goes (DROP INDEX): AlterField would make SQLite copy the
whole table into a new one, which also drops the triggers on it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from emporia.infra.schema import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0002_hold_on_payment'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='order',
                    name='buyer',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='orders', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='order',
                    name='shop',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='orders', to='accounts.shop'),
                ),
            ],
            database_operations=[
                drop_index('orders_order', 'buyer_id', 'orders_order_buyer_id_26195532'),
                drop_index('orders_order', 'shop_id', 'orders_order_shop_id_b562fb3d'),
            ],
        ),
    ]
