"""Drop the one-column indexes that a composite index or unique constraint
leading with the same column makes redundant (it serves every lookup
they did, and each costs every INSERT one more B-tree write):

- c2c_adclick.campaign_id (covered by c2c_ad_click_dedup)
- c2c_adkeyword.campaign_id (covered by c2c_ad_keyword_once)
- c2c_adkeywordday.keyword_id (covered by c2c_ad_kw_day)
- c2c_campaignday.campaign_id (covered by c2c_ad_campaign_day)
- c2c_campaignproduct.campaign_id (covered by c2c_ad_product_once)
- c2c_penalisedtrade.penalty_id (covered by c2c_penalised_trade_once)
- c2c_penalty.shop_id (covered by c2c_penalty_shop)
- c2c_shopvisit.shop_id (covered by c2c_visit_once_a_day)
- c2c_tradeassessment.shop_id (covered by c2c_assessment_shop)
- c2c_traderating.shop_id (covered by c2c_rating_shop_recent)

Only the index goes (DROP INDEX): AlterField would make SQLite copy the
whole table into a new one, which also drops the triggers on it.
"""

import django.db.models.deletion
from django.db import migrations, models

from emporia.infra.schema import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('c2c', '0005_c2cfinish'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='adclick',
                    name='campaign',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='c2c.campaign'),
                ),
                migrations.AlterField(
                    model_name='adkeyword',
                    name='campaign',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='keywords', to='c2c.campaign'),
                ),
                migrations.AlterField(
                    model_name='adkeywordday',
                    name='keyword',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='c2c.adkeyword'),
                ),
                migrations.AlterField(
                    model_name='campaignday',
                    name='campaign',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='c2c.campaign'),
                ),
                migrations.AlterField(
                    model_name='campaignproduct',
                    name='campaign',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, to='c2c.campaign'),
                ),
                migrations.AlterField(
                    model_name='penalisedtrade',
                    name='penalty',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='trades', to='c2c.penalty'),
                ),
                migrations.AlterField(
                    model_name='penalty',
                    name='shop',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.shop'),
                ),
                migrations.AlterField(
                    model_name='shopvisit',
                    name='shop',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.shop'),
                ),
                migrations.AlterField(
                    model_name='tradeassessment',
                    name='shop',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.shop'),
                ),
                migrations.AlterField(
                    model_name='traderating',
                    name='shop',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.shop'),
                ),
            ],
            database_operations=[
                drop_index('c2c_adclick', 'campaign_id', 'c2c_adclick_campaign_id_b010a21f'),
                drop_index('c2c_adkeyword', 'campaign_id', 'c2c_adkeyword_campaign_id_f06e838a'),
                drop_index('c2c_adkeywordday', 'keyword_id', 'c2c_adkeywordday_keyword_id_7fc2d54e'),
                drop_index('c2c_campaignday', 'campaign_id', 'c2c_campaignday_campaign_id_6f00e22f'),
                drop_index('c2c_campaignproduct', 'campaign_id', 'c2c_campaignproduct_campaign_id_2e79d42a'),
                drop_index('c2c_penalisedtrade', 'penalty_id', 'c2c_penalisedtrade_penalty_id_5601198c'),
                drop_index('c2c_penalty', 'shop_id', 'c2c_penalty_shop_id_f5e7111f'),
                drop_index('c2c_shopvisit', 'shop_id', 'c2c_shopvisit_shop_id_e99cc3bc'),
                drop_index('c2c_tradeassessment', 'shop_id', 'c2c_tradeassessment_shop_id_2d7b56cf'),
                drop_index('c2c_traderating', 'shop_id', 'c2c_traderating_shop_id_2c236e27'),
            ],
        ),
    ]
