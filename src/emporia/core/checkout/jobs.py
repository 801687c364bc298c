from emporia.infra.jobs.registry import job

from . import services


@job("checkout.forget_client_data", every_seconds=3600)
def forget_client_data() -> int:
    """Blank checkout IPs and device ids older than the retention period."""
    return services.forget_old_client_data()
