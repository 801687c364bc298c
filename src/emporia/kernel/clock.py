"""The injectable clock.

Every piece of code that asks "what time is it" for a business rule (payment
timeouts, escrow release, reservation expiry) calls :func:`now`. Tests and the
demo seeder swap the clock with :func:`use` to move time deterministically.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterator

_lock = threading.Lock()
_source: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)  # noqa: E731


def now() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return _source()


class FrozenClock:
    """A clock that only moves when told to."""

    def __init__(self, start: dt.datetime | None = None):
        self.current = start or dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.current

    def advance(self, **delta) -> dt.datetime:
        self.current = self.current + dt.timedelta(**delta)
        return self.current

    def set(self, moment: dt.datetime) -> None:
        self.current = moment


def set_source(source: Callable[[], dt.datetime]) -> Callable[[], dt.datetime]:
    global _source
    with _lock:
        previous, _source = _source, source
    return previous


@contextlib.contextmanager
def use(source: Callable[[], dt.datetime]) -> Iterator[Callable[[], dt.datetime]]:
    previous = set_source(source)
    try:
        yield source
    finally:
        set_source(previous)
