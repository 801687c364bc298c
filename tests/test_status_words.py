"""Status words (``emporia.infra.words``): a status named inside a
translated sentence, one word per status, in the active language."""

import pytest
from django.db import models
from django.utils import translation
from django.utils.translation import pgettext_lazy

from emporia.infra.words import StatusWords


class Parcel(models.TextChoices):
    PAID = "paid", "Paid"
    SHIPPED = "shipped", "Shipped"


# Words the orders catalog translates, so the test reads a real catalog.
WORDS = {
    Parcel.PAID: pgettext_lazy("order status", "paid"),
    Parcel.SHIPPED: pgettext_lazy("order status", "shipped"),
}


def test_a_status_without_a_word_is_refused_naming_it():
    with pytest.raises(ValueError, match=r"Parcel words: no word for \['shipped'\]"):
        StatusWords(Parcel, {Parcel.PAID: WORDS[Parcel.PAID]})


def test_a_word_for_no_status_is_refused_naming_it():
    words = {**WORDS, "lost": pgettext_lazy("order status", "lost")}
    with pytest.raises(ValueError, match=r"a word for no status \['lost'\]"):
        StatusWords(Parcel, words)


def test_the_word_is_in_the_active_language():
    words = StatusWords(Parcel, WORDS)
    with translation.override("en"):
        assert words(Parcel.PAID) == "paid"
        assert words("shipped") == "shipped"
    with translation.override("zh-hans"):
        assert words(Parcel.PAID) == "已付款"
        assert words("shipped") == "已发货"
    assert type(words("paid")) is str


@pytest.mark.parametrize("value", ["lost", "", "PAID", None, 3, ["paid"]])
def test_a_value_that_is_no_status_is_returned_as_it_is(value):
    words = StatusWords(Parcel, WORDS)
    with translation.override("zh-hans"):
        assert words(value) == value
