"""The group transition table, checked without a database (the campaign's
Chinese wording is checked through the API in test_group_api)."""

import pytest
from django.utils import translation

from emporia.kernel.errors import InvalidTransition
from emporia.modes.social import states


def test_an_illegal_group_move_names_both_statuses():
    with translation.override("en"), pytest.raises(InvalidTransition) as err:
        states.check("failed", "filled")
    assert err.value.message == "A group cannot go from failed to filled"


def test_an_illegal_group_move_names_both_statuses_in_chinese():
    with translation.override("zh-hans"), pytest.raises(InvalidTransition) as err:
        states.check("filled", "forming")
    assert err.value.message == "拼团无法从“拼团成功”变为“拼团中”"
