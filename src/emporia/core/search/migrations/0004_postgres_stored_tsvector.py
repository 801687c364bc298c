# PostgreSQL only: keep each document's tsvector in a stored generated column
# with the GIN index on it, instead of an expression index over
# to_tsvector('simple', body). Matching and ts_rank then read the stored
# vector; with the expression, every candidate row's body was parsed again
# (twice: to filter and to rank), and a plan that reached the documents by
# join rather than by the index parsed every listed product's body.

from django.db import migrations

POSTGRES_FORWARD = [
    "ALTER TABLE search_searchdocument ADD COLUMN IF NOT EXISTS body_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED",
    "CREATE INDEX IF NOT EXISTS search_body_tsv_stored ON search_searchdocument "
    "USING GIN (body_tsv)",
    "DROP INDEX IF EXISTS search_body_tsv",
    "ANALYZE search_searchdocument",
]
POSTGRES_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS search_body_tsv ON search_searchdocument "
    "USING GIN (to_tsvector('simple', body))",
    "DROP INDEX IF EXISTS search_body_tsv_stored",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS body_tsv",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, POSTGRES_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, POSTGRES_BACKWARD)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0003_c2cgov_client_capture"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
