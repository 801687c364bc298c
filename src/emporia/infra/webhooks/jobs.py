from emporia.infra.jobs.registry import job

from .services import deliver_due


@job("webhooks.deliver", every_seconds=2)
def deliver_webhooks() -> int:
    """POST due webhook deliveries; retry failures with backoff."""
    return deliver_due()
