from emporia.infra.jobs.registry import job

from . import services


@job("payments.purge_receipts", every_seconds=3600)
def purge_receipts() -> int:
    """Delete callback receipts past EMPORIA["CALLBACK_RECEIPT_RETENTION_DAYS"]."""
    return services.purge_callback_receipts()
