"""Drop the one-column indexes that a composite index or unique constraint
leading with the same column makes redundant (it serves every lookup
they did, and each costs every INSERT one more B-tree write):

- social_devicesighting.user_id (covered by social_device_once_per_user)
- social_group.campaign_id (covered by social_group_open)
- social_groupcampaign.sku_id (covered by social_campaign_sku)
- social_groupmember.buyer_id (covered by social_member_recent, social_member_request_once)
- social_groupshare.campaign_id (covered by social_share_campaign)
- social_invite.inviter_id (covered by social_inv_by)
- social_invitereward.inviter_id (covered by social_rew_cap)
- social_sharevisit.share_id (covered by social_visit_once)
- social_watergrant.owner_id (covered by social_grant_day, social_grant_slot)

Only the index goes (DROP INDEX): AlterField would make SQLite copy the
whole table into a new one, which also drops the triggers on it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from emporia.infra.schema import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('social', '0002_groups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='devicesighting',
                    name='user',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='group',
                    name='campaign',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='groups', to='social.groupcampaign'),
                ),
                migrations.AlterField(
                    model_name='groupcampaign',
                    name='sku',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='group_campaigns', to='catalog.sku'),
                ),
                migrations.AlterField(
                    model_name='groupmember',
                    name='buyer',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='groupshare',
                    name='campaign',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='shares', to='social.groupcampaign'),
                ),
                migrations.AlterField(
                    model_name='invite',
                    name='inviter',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='invitereward',
                    name='inviter',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='sharevisit',
                    name='share',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='visits', to='social.groupshare'),
                ),
                migrations.AlterField(
                    model_name='watergrant',
                    name='owner',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[
                drop_index('social_devicesighting', 'user_id', 'social_devicesighting_user_id_b186198b'),
                drop_index('social_group', 'campaign_id', 'social_group_campaign_id_443e679c'),
                drop_index('social_groupcampaign', 'sku_id', 'social_groupcampaign_sku_id_3d609868'),
                drop_index('social_groupmember', 'buyer_id', 'social_groupmember_buyer_id_ffdee712'),
                drop_index('social_groupshare', 'campaign_id', 'social_groupshare_campaign_id_7d527ea4'),
                drop_index('social_invite', 'inviter_id', 'social_invite_inviter_id_d0ad00cd'),
                drop_index('social_invitereward', 'inviter_id', 'social_invitereward_inviter_id_66945043'),
                drop_index('social_sharevisit', 'share_id', 'social_sharevisit_share_id_cc4cd976'),
                drop_index('social_watergrant', 'owner_id', 'social_watergrant_owner_id_dae92506'),
            ],
        ),
    ]
