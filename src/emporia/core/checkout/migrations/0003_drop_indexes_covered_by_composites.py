"""Drop the one-column indexes that a composite index or unique constraint
leading with the same column makes redundant (it serves every lookup
they did, and each costs every INSERT one more B-tree write):

- checkout_cartline.cart_id (covered by cart_line_per_sku)
- checkout_checkout.buyer_id (covered by checkout_idempotency_key)

Only the index goes (DROP INDEX): AlterField would make SQLite copy the
whole table into a new one, which also drops the triggers on it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from emporia.infra.schema import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('checkout', '0002_c2cgov_client_capture'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='cartline',
                    name='cart',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='checkout.cart'),
                ),
                migrations.AlterField(
                    model_name='checkout',
                    name='buyer',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='checkouts', to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[
                drop_index('checkout_cartline', 'cart_id', 'checkout_cartline_cart_id_918108c9'),
                drop_index('checkout_checkout', 'buyer_id', 'checkout_checkout_buyer_id_ecefe136'),
            ],
        ),
    ]
