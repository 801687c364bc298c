from django.db import models


class JobRun(models.Model):
    """The log of job executions, in-process or on Celery alike."""

    name = models.CharField(max_length=100, db_index=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    processed = models.IntegerField(default=0)
    error = models.TextField(blank=True)
    runner = models.CharField(max_length=20, default="inprocess")

    class Meta:
        ordering = ["-id"]
