from emporia.infra.jobs.registry import job

from .services import groups


@job("social.close_due_groups", every_seconds=15)
def close_due_groups() -> int:
    """Fail groups whose window closed short: refund and cancel every order."""
    return groups.close_due_groups()


@job("social.release_unpaid_group_seats", every_seconds=30)
def release_unpaid_group_seats() -> int:
    """Cancel seats not paid within the group seat hold and free them."""
    return groups.release_unpaid_seats()
