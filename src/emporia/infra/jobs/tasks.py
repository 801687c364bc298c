"""Celery tasks: a thin wrapper that runs a registered job by name.

Beat's schedule is built from the job registry, so adding a ``@job`` anywhere
adds it to both runners.
"""

from __future__ import annotations

from celery import shared_task

from .services import run_job


@shared_task(name="emporia.run_job", ignore_result=True)
def run_job_task(name: str) -> int:
    return run_job(name, runner="celery")
