"""The Celery application: used only when EMPORIA_BROKER_URL is set.

Tasks are the same job functions the in-process scheduler runs: one task,
``emporia.run_job``, takes a job name, and beat's schedule has one entry per
registered ``@job`` (see ``emporia.infra.jobs.celery_app``)::

    EMPORIA_BROKER_URL=redis://127.0.0.1:6379/0 celery -A emporia.config.celery worker -l info
    EMPORIA_BROKER_URL=redis://127.0.0.1:6379/0 celery -A emporia.config.celery beat -l info
"""

from __future__ import annotations

import os

import django

from emporia.infra.jobs.celery_app import create_app

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emporia.config.settings")
# Apps register their jobs in ready(); beat reads its schedule before it would
# set Django up itself, so do it here. This module is imported only by
# Celery's command line, never during Django's own start-up.
django.setup()

app = create_app()
