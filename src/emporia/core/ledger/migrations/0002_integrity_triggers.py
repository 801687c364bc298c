"""Ledger integrity in the database itself.

PostgreSQL: a DEFERRABLE INITIALLY DEFERRED constraint trigger checks, when
the transaction commits, that every journal entry touched has at least two
postings, that its debits equal its credits in every currency, and that each
posting is in its account's currency. Row triggers on both databases make
postings and journal entries append-only: UPDATE and DELETE are refused (the
one exception: an entry's ``actor`` may become NULL when that user is
deleted). On SQLite, DELETE is refused while ``emporia_ledger_sealed()`` —
a function the ledger app registers on every connection — says so; only the
test-suite/``flush`` wipe unseals it (see ``ledger/dbguard.py``).

TRUNCATE (PostgreSQL's flush) fires no row triggers, so ``flush`` still works.
"""

from django.db import migrations

PG_INSTALL = r"""
CREATE OR REPLACE FUNCTION ledger_check_entry() RETURNS trigger AS $$
DECLARE
    v_entry bigint;
    legs integer;
    bad record;
BEGIN
    IF TG_TABLE_NAME = 'ledger_posting' THEN
        v_entry := NEW.entry_id;
    ELSE
        v_entry := NEW.id;
    END IF;
    SELECT count(*) INTO legs FROM ledger_posting p WHERE p.entry_id = v_entry;
    IF legs < 2 THEN
        RAISE EXCEPTION 'Journal entry % has % posting(s); at least two are needed',
            v_entry, legs USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    SELECT p.currency, sum(p.debit_minor) AS d, sum(p.credit_minor) AS c INTO bad
        FROM ledger_posting p WHERE p.entry_id = v_entry
        GROUP BY p.currency HAVING sum(p.debit_minor) <> sum(p.credit_minor)
        LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'Journal entry % does not balance in %: debits % <> credits %',
            v_entry, bad.currency, bad.d, bad.c
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    PERFORM 1 FROM ledger_posting p JOIN ledger_account a ON a.id = p.account_id
        WHERE p.entry_id = v_entry AND p.currency <> a.currency;
    IF FOUND THEN
        RAISE EXCEPTION 'Journal entry % posts to an account in another currency',
            v_entry USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER ledger_posting_balanced
    AFTER INSERT ON ledger_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_entry();

CREATE CONSTRAINT TRIGGER ledger_entry_has_postings
    AFTER INSERT ON ledger_journalentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_entry();

CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger AS $$
BEGIN
    -- PL/pgSQL does not short-circuit: test the table before its columns.
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'ledger_journalentry' THEN
        IF NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
           AND (NEW.id, NEW.key, NEW.kind, NEW.memo, NEW.ref, NEW.occurred_at)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.key, OLD.kind, OLD.memo, OLD.ref, OLD.occurred_at) THEN
            RETURN NEW;  -- the acting user was deleted (on_delete=SET_NULL)
        END IF;
    END IF;
    RAISE EXCEPTION 'The ledger is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ledger_posting_append_only
    BEFORE UPDATE OR DELETE ON ledger_posting
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

CREATE TRIGGER ledger_entry_append_only
    BEFORE UPDATE OR DELETE ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
"""

PG_REMOVE = """
DROP TRIGGER IF EXISTS ledger_entry_append_only ON ledger_journalentry;
DROP TRIGGER IF EXISTS ledger_posting_append_only ON ledger_posting;
DROP FUNCTION IF EXISTS ledger_append_only();
DROP TRIGGER IF EXISTS ledger_entry_has_postings ON ledger_journalentry;
DROP TRIGGER IF EXISTS ledger_posting_balanced ON ledger_posting;
DROP FUNCTION IF EXISTS ledger_check_entry();
"""

SQLITE_INSTALL = [
    """
    CREATE TRIGGER ledger_posting_no_update BEFORE UPDATE ON ledger_posting
    BEGIN SELECT RAISE(ABORT, 'The ledger is append-only: UPDATE on ledger_posting is refused'); END
    """,
    """
    CREATE TRIGGER ledger_posting_no_delete BEFORE DELETE ON ledger_posting
    WHEN emporia_ledger_sealed()
    BEGIN SELECT RAISE(ABORT, 'The ledger is append-only: DELETE on ledger_posting is refused'); END
    """,
    """
    CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_journalentry
    WHEN NOT (
        NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
        AND NEW.id IS OLD.id AND NEW.key IS OLD.key AND NEW.kind IS OLD.kind
        AND NEW.memo IS OLD.memo AND NEW.ref IS OLD.ref
        AND NEW.occurred_at IS OLD.occurred_at
    )
    BEGIN SELECT RAISE(ABORT, 'The ledger is append-only: UPDATE on ledger_journalentry is refused'); END
    """,
    """
    CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_journalentry
    WHEN emporia_ledger_sealed()
    BEGIN SELECT RAISE(ABORT, 'The ledger is append-only: DELETE on ledger_journalentry is refused'); END
    """,
]

SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS ledger_posting_no_update",
    "DROP TRIGGER IF EXISTS ledger_posting_no_delete",
    "DROP TRIGGER IF EXISTS ledger_entry_no_update",
    "DROP TRIGGER IF EXISTS ledger_entry_no_delete",
]


def _run(schema_editor, postgresql, sqlite):
    # Plain cursor.execute without params: the PL/pgSQL bodies contain "%".
    conn = schema_editor.connection
    statements = {"postgresql": [postgresql], "sqlite": sqlite}.get(conn.vendor, [])
    with conn.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(apps, schema_editor):
    _run(schema_editor, PG_INSTALL, SQLITE_INSTALL)


def remove(apps, schema_editor):
    _run(schema_editor, PG_REMOVE, SQLITE_REMOVE)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
