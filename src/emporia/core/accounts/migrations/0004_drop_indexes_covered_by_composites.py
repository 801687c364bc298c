"""Drop the one-column indexes that a composite index or unique constraint
leading with the same column makes redundant (it serves every lookup
they did, and each costs every INSERT one more B-tree write):

- accounts_loginrecord.user_id (covered by login_user_recent)
- accounts_organizationmember.organization_id (covered by org_member_once)
- accounts_shopmember.shop_id (covered by shop_member_once)

Only the index goes (DROP INDEX): AlterField would make SQLite copy the
whole table into a new one, which also drops the triggers on it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from emporia.infra.schema import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_c2cgov_client_capture'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='loginrecord',
                    name='user',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='logins', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='organizationmember',
                    name='organization',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='members', to='accounts.organization'),
                ),
                migrations.AlterField(
                    model_name='shopmember',
                    name='shop',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='members', to='accounts.shop'),
                ),
            ],
            database_operations=[
                drop_index('accounts_loginrecord', 'user_id', 'accounts_loginrecord_user_id_7e8b3080'),
                drop_index('accounts_organizationmember', 'organization_id', 'accounts_organizationmember_organization_id_00f0c8a1'),
                drop_index('accounts_shopmember', 'shop_id', 'accounts_shopmember_shop_id_e52d778f'),
            ],
        ),
    ]
