"""Racing real threads against the database."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def race(
    n: int, work: Callable[[int], object], *, expected: tuple[type, ...] = ()
) -> list:
    """Run ``work(i)`` in ``n`` threads released together by a barrier.

    Returns each thread's result; an exception of an ``expected`` type is
    returned as its class name (e.g. "OutOfStock"), anything else propagates
    as a failure. Each thread closes its own database connection.
    """
    barrier = threading.Barrier(n)
    outcomes: list = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait()
            result = work(i)
        except expected as exc:
            result = type(exc).__name__
        except BaseException as exc:  # surfaced to the test below
            with lock:
                errors.append(exc)
            return
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return outcomes
