from emporia.infra.jobs.registry import job

from . import scoring


@job("c2c.governance_score", every_seconds=60)
def score_changed_trades() -> int:
    """Score trades whose facts changed (and the trades of any ring found);
    penalise automatically above the configured score."""
    return scoring.score_pending()
