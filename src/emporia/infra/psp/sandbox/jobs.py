from emporia.infra.jobs.registry import job

from .services import deliver_due


@job("sandbox_psp.deliver_callbacks", every_seconds=1)
def deliver_sandbox_callbacks() -> int:
    """Send the sandbox gateway's due payment callbacks; retry until 2xx."""
    return deliver_due()
