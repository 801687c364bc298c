"""The Celery application: used only when EMPORIA_BROKER_URL is set.

Tasks are the same job functions the in-process scheduler runs
(``emporia.infra.jobs``); beat's schedule is built from the job registry.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emporia.config.settings")

app = Celery("emporia")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["emporia.infra.jobs"], related_name="tasks")
