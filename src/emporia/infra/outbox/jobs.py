from emporia.infra.jobs.registry import job

from .services import relay_pending


@job("outbox.relay", every_seconds=1)
def relay_outbox() -> int:
    """Hand committed domain events to their subscribers."""
    return relay_pending()
