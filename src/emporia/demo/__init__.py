"""Demo data for `emporia demo` and `make run`.

For now it creates the operator account only; the rich demo (shops,
catalogue, orders in every operating model) is filled in later and keeps the
same entry point and summary shape.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

ADMIN_EMAIL = "admin@emporia.test"
ADMIN_PASSWORD = "emporia-admin"


@transaction.atomic
def seed(*, if_empty: bool = False) -> dict:
    """Load the demo data; returns a summary for the command line.

    With ``if_empty`` nothing happens when the database already has users, so
    ``make run`` can call it every time. Running it twice never duplicates.
    """
    User = get_user_model()
    if if_empty and User.objects.exists():
        return {"skipped": True, "reason": "the database already has users"}
    created = {"operators": 0}
    if not User.objects.filter(email=ADMIN_EMAIL).exists():
        User.objects.create_superuser(
            ADMIN_EMAIL, ADMIN_PASSWORD, display_name="Emporia operator"
        )
        created["operators"] += 1
    return {
        "skipped": False,
        "created": created,
        "logins": [
            {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "role": "operator"}
        ],
    }
