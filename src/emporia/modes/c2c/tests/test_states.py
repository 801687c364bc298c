"""The pickup and dispute transition tables, checked without a database."""

import pytest
from django.utils import translation

from emporia.kernel.errors import InvalidTransition
from emporia.modes.c2c.states import disputes, pickup


def test_an_illegal_pickup_move_names_both_statuses():
    with translation.override("en"), pytest.raises(InvalidTransition) as err:
        pickup.check("cancelled", "picked_up")
    assert err.value.message == "A pickup that is cancelled cannot become picked up"


def test_an_illegal_pickup_move_names_both_statuses_in_chinese():
    with translation.override("zh-hans"), pytest.raises(InvalidTransition) as err:
        pickup.check("delivered", "cancelled")
    assert err.value.message == "取件预约当前为“已送达店铺”，不能变为“已取消”"


def test_an_illegal_dispute_move_names_both_statuses():
    with translation.override("en"), pytest.raises(InvalidTransition) as err:
        disputes.check("ruled", "withdrawn")
    assert err.value.message == (
        "A dispute that is ruled by the platform cannot become withdrawn by the buyer"
    )


def test_an_illegal_dispute_move_names_both_statuses_in_chinese():
    with translation.override("zh-hans"), pytest.raises(InvalidTransition) as err:
        disputes.check("withdrawn", "answered")
    assert err.value.message == "纠纷当前为“买家已撤销”，不能变为“卖家已答复”"
