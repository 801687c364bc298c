from emporia.infra.jobs.registry import job

from .services import deliver_due, purge_finished


@job("webhooks.deliver", every_seconds=2)
def deliver_webhooks() -> int:
    """POST due webhook deliveries; retry failures with backoff."""
    return deliver_due()


@job("webhooks.purge", every_seconds=3600)
def purge_webhook_log() -> int:
    """Delete finished deliveries and their attempts past their retention."""
    return purge_finished()
