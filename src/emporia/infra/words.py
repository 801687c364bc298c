"""Status words: a status as it reads inside a translated sentence.

A message that names a status ("A return cannot go from requested to
approved") takes the status as a word, translated by the app that owns the
status (ADR 12), never a page's label put in lower case (``.lower()`` on a
translated string is wrong in general, and the label may sit in another
app's catalog). Each state machine declares its words once, at module level
beside its ``TextChoices``::

    status_words = StatusWords(
        PickupStatus,
        {
            PickupStatus.BOOKED: pgettext_lazy("pickup status", "booked"),
            ...
        },
    )

and a message names a status with ``status_words(old)``. The context
(``"<machine> status"``) keeps "cancelled" of one machine apart from
"cancelled" of another in the catalogs.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models

__all__ = ["StatusWords"]


class StatusWords:
    """The word for each status of ``choices``, in the active language.

    Built at import: a status of ``choices`` without a word, or a word for no
    status of ``choices``, is a ValueError naming them, so a status added to
    the enum without its word fails on import. Calling it with a status
    returns its word as ``str``; any other value is returned unchanged
    (a message must never crash on the status it names)."""

    def __init__(
        self, choices: type[models.TextChoices], words: Mapping[str, object]
    ) -> None:
        statuses = {str(value) for value in choices.values}
        named = {str(status) for status in words}
        missing = sorted(statuses - named)
        extra = sorted(named - statuses)
        if missing or extra:
            raise ValueError(
                f"{choices.__name__} words: no word for {missing}, "
                f"a word for no status {extra}"
            )
        self.choices = choices
        self._words = {str(status): word for status, word in words.items()}

    def __call__(self, status):
        """``status`` as a word in the active language; an unknown value as
        it is."""
        try:
            word = self._words.get(status)
        except TypeError:  # unhashable: not a status
            return status
        return status if word is None else str(word)

    def __repr__(self) -> str:
        return f"StatusWords({self.choices.__name__})"
