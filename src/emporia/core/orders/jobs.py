from emporia.infra.jobs.registry import job

from . import services


@job("orders.cancel_unpaid", every_seconds=15)
def cancel_unpaid() -> int:
    """Cancel orders not paid before their deadline; release their stock."""
    return services.cancel_overdue_unpaid()


@job("orders.auto_complete", every_seconds=60)
def auto_complete() -> int:
    """Confirm receipt automatically when the buyer's window has passed."""
    return services.auto_complete_due()
