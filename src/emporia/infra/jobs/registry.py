"""The job registry: periodic, idempotent units of background work.

A job is a function taking no arguments that does whatever is due *now* (by
``kernel.clock``) and returns how many things it processed. Running a job
twice, or on two workers at once, must be harmless: jobs select due rows and
change each with a compare-and-swap or under a row lock. The same registry
feeds the in-process scheduler inside ``emporia serve`` and Celery beat.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from emporia.kernel.registry import Registry


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], int]
    every_seconds: float
    doc: str = ""


jobs: Registry[Job] = Registry("jobs", "Periodic idempotent jobs")


def job(name: str, *, every_seconds: float):
    """Decorator: register a function as a periodic job."""

    def wrap(func: Callable[[], int]) -> Callable[[], int]:
        jobs.register(
            name, Job(name, func, every_seconds, (func.__doc__ or "").strip())
        )
        return func

    return wrap
