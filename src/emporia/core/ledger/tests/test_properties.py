"""Property tests: whatever is posted, the ledger stays balanced."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emporia.core.ledger import selectors
from emporia.core.ledger.models import JournalEntry, Posting
from emporia.core.ledger.services import Leg, post
from emporia.kernel.errors import ValidationFailed
from emporia.kernel.money import Money

pytestmark = pytest.mark.django_db

ACCOUNTS = {
    "CNY": [
        "platform:psp_clearing:CNY",
        "platform:commission:CNY",
        "shop:1:escrow:CNY",
        "shop:1:payable:CNY",
    ],
    "USD": ["platform:psp_clearing:USD", "shop:2:escrow:USD"],
}
_keys = itertools.count()


@st.composite
def balanced_legs(draw):
    """Legs that balance per currency: each currency's debits split across
    credits by a random partition."""
    legs = []
    for currency in draw(st.sets(st.sampled_from(sorted(ACCOUNTS)), min_size=1)):
        codes = ACCOUNTS[currency]
        total = draw(st.integers(min_value=2, max_value=10**9))
        cut = draw(st.integers(min_value=1, max_value=total - 1))
        legs += [
            Leg.debit(draw(st.sampled_from(codes)), Money(total, currency)),
            Leg.credit(draw(st.sampled_from(codes)), Money(cut, currency)),
            Leg.credit(draw(st.sampled_from(codes)), Money(total - cut, currency)),
        ]
    return draw(st.permutations(legs))


@st.composite
def any_legs(draw):
    """Mostly balanced legs, sometimes nudged off balance by one leg."""
    legs = list(draw(balanced_legs()))
    if draw(st.booleans()):
        i = draw(st.integers(min_value=0, max_value=len(legs) - 1))
        leg = legs[i]
        nudge = draw(st.integers(min_value=1, max_value=1000))
        legs[i] = Leg(
            leg.account, Money(leg.amount.minor + nudge, leg.amount.currency), leg.side
        )
    return legs


def _balanced(legs) -> bool:
    sums = {}
    for leg in legs:
        d, c = sums.get(leg.amount.currency, (0, 0))
        if leg.side == "debit":
            d += leg.amount.minor
        else:
            c += leg.amount.minor
        sums[leg.amount.currency] = (d, c)
    return all(d == c for d, c in sums.values())


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(batches=st.lists(any_legs(), min_size=1, max_size=6))
def test_accepted_entries_balance_rejected_ones_write_nothing(db, batches):
    for legs in batches:
        before = (JournalEntry.objects.count(), Posting.objects.count())
        key = f"prop:{next(_keys)}"
        if _balanced(legs):
            entry = post(key=key, kind="test", legs=legs)
            assert entry.postings.count() == len(legs)
            for currency, row in _entry_sums(entry).items():
                assert row[0] == row[1], currency
        else:
            with pytest.raises(ValidationFailed):
                post(key=key, kind="test", legs=legs)
            assert (JournalEntry.objects.count(), Posting.objects.count()) == before
        for row in selectors.trial_balance().values():
            assert row["debit"] == row["credit"]


def _entry_sums(entry):
    out = {}
    for p in entry.postings.all():
        d, c = out.get(p.currency, (0, 0))
        out[p.currency] = (d + p.debit_minor, c + p.credit_minor)
    return out
