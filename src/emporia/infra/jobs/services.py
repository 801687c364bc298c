"""Running jobs: once by name, all that are due, or forever in a loop."""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections

from emporia.kernel import clock

from .models import JobRun
from .registry import Job, jobs

log = logging.getLogger(__name__)


def run_job(name: str, *, runner: str = "inprocess") -> int:
    """Run one registered job now and log the run; returns how many items it handled."""
    spec: Job | None = jobs.get(name)
    if spec is None:
        raise LookupError(
            f"No job named {name!r}; known jobs: {', '.join(jobs.names())}"
        )
    run = JobRun.objects.create(name=name, started_at=clock.now(), runner=runner)
    try:
        processed = int(spec.func() or 0)
    except Exception as exc:
        JobRun.objects.filter(pk=run.pk).update(
            finished_at=clock.now(), error=repr(exc)
        )
        raise
    JobRun.objects.filter(pk=run.pk).update(
        finished_at=clock.now(), processed=processed
    )
    return processed


def run_all_once(*, log_runs: bool = False) -> dict[str, int]:
    """Run every job once, in registry order (tests and `emporia jobs run-all`)."""
    results = {}
    for spec in jobs:
        results[spec.name] = run_job(spec.name) if log_runs else int(spec.func() or 0)
    return results


class Scheduler(threading.Thread):
    """The in-process scheduler used by `emporia serve` when no broker is set."""

    def __init__(self, *, tick: float = 1.0):
        super().__init__(name="emporia-jobs", daemon=True)
        self.tick = tick
        self.stopping = threading.Event()
        self.last_run: dict[str, float] = {}

    def run(self) -> None:
        while not self.stopping.is_set():
            now = time.monotonic()
            for spec in jobs:
                if now - self.last_run.get(spec.name, 0) < spec.every_seconds:
                    continue
                self.last_run[spec.name] = now
                try:
                    close_old_connections()
                    spec.func()
                except Exception:
                    log.exception("job %s failed", spec.name)
            self.stopping.wait(self.tick)

    def stop(self) -> None:
        self.stopping.set()
