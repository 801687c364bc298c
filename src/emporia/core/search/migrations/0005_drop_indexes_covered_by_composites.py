"""Drop the one-column indexes that a composite index or unique constraint
leading with the same column makes redundant (it serves every lookup
they did, and each costs every INSERT one more B-tree write):

- search_searchdocument.listed (covered by search_listed_price, search_listed_sales)

Only the index goes (DROP INDEX): AlterField would make SQLite copy the
whole table into a new one, which also drops the triggers on it.
"""

from django.db import migrations, models

from emporia.infra.schema import drop_index


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0004_postgres_stored_tsvector'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='searchdocument',
                    name='listed',
                    field=models.BooleanField(default=False),
                ),
            ],
            database_operations=[
                drop_index('search_searchdocument', 'listed', 'search_searchdocument_listed_60348c30'),
            ],
        ),
    ]
