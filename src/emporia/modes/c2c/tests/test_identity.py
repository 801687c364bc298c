"""Resident ID numbers, masks and mobile numbers: pure checks, no database."""

import datetime as dt

import pytest
from django.utils import translation

from emporia.kernel import clock
from emporia.kernel.errors import ValidationFailed
from emporia.modes.c2c import identity

# A published example of a valid number (GB 11643-1999 appendix).
VALID = "11010519491231002X"


def test_the_check_character_of_a_known_number():
    assert identity.id_check_char(VALID[:17]) == "X"
    assert identity.normalize_id_number(" 11010519491231002x ") == VALID


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "17 digits"),
        ("1101051949123100", "17 digits"),
        ("110105194912310021", "check character"),
        ("11010519490231002X", "does not exist"),
        ("01010519491231002X", "17 digits"),
    ],
)
def test_bad_numbers_are_refused_with_the_reason(raw, message):
    with (
        translation.override("en"),
        pytest.raises(ValidationFailed, match=message) as err,
    ):
        identity.normalize_id_number(raw)
    assert err.value.details == {"field": "id_number"}


def test_a_date_of_birth_in_the_future_is_refused():
    with clock.use(clock.FrozenClock(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))):
        first17 = "11010520210101001"
        with (
            translation.override("en"),
            pytest.raises(ValidationFailed, match="not possible"),
        ):
            identity.normalize_id_number(first17 + identity.id_check_char(first17))


def test_the_mask_keeps_region_and_last_four():
    assert identity.mask_id_number(VALID) == "110***********002X"


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [("138 0013 8000", "13800138000"), ("+8613800138000", "13800138000")],
)
def test_mobile_numbers_are_normalized(raw, cleaned):
    assert identity.normalize_mobile(raw) == cleaned


@pytest.mark.parametrize("raw", ["12800138000", "1380013800", "phone"])
def test_bad_mobile_numbers_are_refused(raw):
    with translation.override("en"), pytest.raises(ValidationFailed, match="11 digits"):
        identity.normalize_mobile(raw)
