from django.db import models


class OutboxEvent(models.Model):
    """A domain event written in the same transaction as the change it records."""

    topic = models.CharField(max_length=100, db_index=True)
    version = models.PositiveSmallIntegerField(default=1)
    payload = models.JSONField()
    occurred_at = models.DateTimeField()
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["dispatched_at", "id"], name="outbox_pending")]
        ordering = ["id"]

    def __str__(self):
        return f"#{self.pk} {self.topic}"


class HandlerRun(models.Model):
    """One subscriber has handled one event; the unique pair makes redelivery harmless."""

    # the handler_run_once unique constraint leads with event
    event = models.ForeignKey(
        OutboxEvent, on_delete=models.CASCADE, related_name="runs", db_index=False
    )
    handler = models.CharField(max_length=200)
    ran_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "handler"], name="handler_run_once"
            )
        ]
