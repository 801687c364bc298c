"""The transition table, checked without a database."""

import pytest
from django.utils import translation

from emporia.core.orders import states
from emporia.core.orders.states import OrderStatus as S
from emporia.kernel.errors import InvalidTransition


def test_every_status_has_a_row_in_the_table():
    assert set(states.TRANSITIONS) == set(S.values)


def test_terminal_states_lead_nowhere():
    assert states.TERMINAL == {S.CANCELLED, S.REFUNDED}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (S.AWAITING_PAYMENT, S.SHIPPED),
        (S.CANCELLED, S.PAID),
        (S.COMPLETED, S.SHIPPED),
        (S.REFUNDED, S.COMPLETED),
        (S.PAID, S.COMPLETED),
        (S.SHIPPED, S.PAID),
    ],
)
def test_illegal_moves_raise_a_clear_error(old, new):
    with translation.override("en"), pytest.raises(InvalidTransition) as err:
        states.check(old, new)
    assert err.value.message == (
        f"An order cannot go from {S(old).label.lower()} to {S(new).label.lower()}"
    )


def test_the_error_names_the_statuses_in_the_callers_language():
    with translation.override("zh-hans"), pytest.raises(InvalidTransition) as err:
        states.check(S.CANCELLED, S.PAID)
    assert err.value.message == "订单无法从“已取消”变为“已付款”"


def test_every_status_is_reachable_from_awaiting_payment():
    seen, frontier = {S.AWAITING_PAYMENT}, [S.AWAITING_PAYMENT]
    while frontier:
        for nxt in states.TRANSITIONS[frontier.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    assert seen == set(S.values)
