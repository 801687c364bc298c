"""Running the job registry on Celery.

One task, ``emporia.run_job`` (``tasks.py``), takes a job name and runs the
same function the in-process scheduler runs. Beat's schedule is built here
from the registry — one entry per ``@job`` at its own interval — so adding a
job anywhere adds it to both runners. ``emporia.config.celery`` builds the
project's app with :func:`create_app` once Django is set up.
"""

from __future__ import annotations

from celery import Celery

from .registry import jobs

TASK = "emporia.run_job"


def beat_schedule() -> dict[str, dict]:
    """One beat entry per registered job, sending ``emporia.run_job(name)``.

    Call it after ``django.setup()``: apps register their jobs in ``ready()``.
    """
    return {
        f"job:{spec.name}": {
            "task": TASK,
            "schedule": float(spec.every_seconds),
            "args": (spec.name,),
            # A tick that waited longer than its interval is stale: the next
            # one does the same work, so a backlog must not pile up.
            "options": {"expires": max(float(spec.every_seconds), 1.0)},
        }
        for spec in jobs
    }


def create_app(**conf) -> Celery:
    """A Celery app configured from Django's ``CELERY_*`` settings, with the
    beat schedule from the registry; ``conf`` overrides (tests use it)."""
    app = Celery("emporia")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.beat_schedule = beat_schedule()
    if conf:
        app.conf.update(conf)
    app.autodiscover_tasks(["emporia.infra.jobs"], related_name="tasks", force=True)
    return app
