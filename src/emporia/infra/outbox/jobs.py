from emporia.infra.jobs.registry import job

from .services import purge_dispatched, relay_pending


@job("outbox.relay", every_seconds=1)
def relay_outbox() -> int:
    """Hand committed domain events to their subscribers."""
    return relay_pending()


@job("outbox.purge", every_seconds=3600)
def purge_outbox() -> int:
    """Delete dispatched events past their retention (with their handler runs)."""
    return purge_dispatched()
