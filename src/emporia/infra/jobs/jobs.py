from emporia.infra import retention

from .models import JobRun
from .registry import job


@job("jobs.purge_log", every_seconds=3600)
def purge_job_log() -> int:
    """Delete job runs older than EMPORIA["JOB_LOG_RETENTION_DAYS"] (default 14)."""
    before = retention.cutoff("JOB_LOG_RETENTION_DAYS", 14)
    return retention.purge(lambda: JobRun.objects.filter(started_at__lt=before))
