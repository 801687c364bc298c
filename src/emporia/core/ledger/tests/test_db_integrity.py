"""The database itself keeps the ledger balanced and append-only."""

import pytest
from django.db import IntegrityError, connection, transaction

from emporia.core.ledger.models import Account, JournalEntry, Posting
from emporia.core.ledger.services import Leg, ensure_accounts, post
from emporia.kernel.money import Money

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no deferred constraint triggers; post() checks balance",
)


def _posted():
    return post(
        key="capture:1",
        kind="capture",
        legs=[
            Leg.debit("platform:psp_clearing:CNY", Money(500, "CNY")),
            Leg.credit("platform:commission:CNY", Money(500, "CNY")),
        ],
    )


@pytest.mark.django_db
def test_updating_a_posting_is_refused():
    entry = _posted()
    posting = entry.postings.first()

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Posting.objects.filter(pk=posting.pk).update(debit_minor=900)

    posting.refresh_from_db()
    assert posting.debit_minor == 500


@pytest.mark.django_db
def test_updating_or_deleting_a_journal_entry_is_refused():
    entry = _posted()

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).update(memo="rewritten")
    with pytest.raises(IntegrityError, match="append-only"):
        _raw_sql("DELETE FROM ledger_posting WHERE entry_id = %s", [entry.pk])

    assert JournalEntry.objects.get(pk=entry.pk).memo == ""
    assert Posting.objects.filter(entry=entry).count() == 2


@pytest.mark.django_db
def test_deleting_the_acting_user_only_clears_the_entrys_actor(user):
    entry = post(
        key="capture:2",
        kind="capture",
        actor=user,
        legs=[
            Leg.debit("platform:psp_clearing:CNY", Money(1, "CNY")),
            Leg.credit("platform:commission:CNY", Money(1, "CNY")),
        ],
    )
    user.delete()
    entry.refresh_from_db()
    assert (entry.actor_id, entry.key) == (None, "capture:2")


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_can_still_be_flushed_after_posting():
    # The teardown of this test (flush) must be able to wipe the ledger.
    _posted()
    assert Posting.objects.count() == 2


def _raw_sql(sql, params):
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)


def _raw_insert(key, legs):
    """Insert an entry and its postings with plain SQL in one transaction."""
    with transaction.atomic(), connection.cursor() as cur:
        entry_id = _raw_entry(cur, key)
        for args in legs:
            _raw_posting(cur, entry_id, *args)
    return entry_id


def _raw_entry(cur, key):
    cur.execute(
        "INSERT INTO ledger_journalentry (key, kind, memo, ref, occurred_at) "
        "VALUES (%s, 'raw', '', '', now()) RETURNING id",
        [key],
    )
    return cur.fetchone()[0]


def _raw_posting(cur, entry_id, account, debit, credit, currency="CNY"):
    cur.execute(
        "INSERT INTO ledger_posting (entry_id, account_id, debit_minor, "
        "credit_minor, currency) VALUES (%s, %s, %s, %s, %s)",
        [entry_id, account.pk, debit, credit, currency],
    )


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_an_unbalanced_raw_insert_at_commit():
    accounts = ensure_accounts(["platform:psp_clearing:CNY", "platform:commission:CNY"])
    clearing, commission = accounts.values()

    # The INSERTs themselves succeed: the check waits for COMMIT.
    with pytest.raises(IntegrityError, match="does not balance in CNY"):
        _raw_insert("raw:1", [(clearing, 100, 0), (commission, 0, 99)])

    assert (JournalEntry.objects.count(), Posting.objects.count()) == (0, 0)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_an_entry_without_postings_and_a_foreign_currency_leg():
    accounts = ensure_accounts(["platform:psp_clearing:CNY", "platform:commission:CNY"])
    clearing, commission = accounts.values()

    with pytest.raises(IntegrityError, match="at least two"):
        _raw_insert("raw:empty", [])
    with pytest.raises(IntegrityError, match="another currency"):
        _raw_insert("raw:usd", [(clearing, 100, 0, "USD"), (commission, 0, 100, "USD")])

    assert (JournalEntry.objects.count(), Posting.objects.count()) == (0, 0)
    assert Account.objects.count() == 2


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_postgresql_accepts_a_balanced_raw_insert():
    accounts = ensure_accounts(["platform:psp_clearing:CNY", "platform:commission:CNY"])
    clearing, commission = accounts.values()

    entry_id = _raw_insert("raw:ok", [(clearing, 100, 0), (commission, 0, 100)])

    assert Posting.objects.filter(entry_id=entry_id).count() == 2
