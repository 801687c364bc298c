import pytest
from django.contrib import admin

from emporia.core.inventory.models import StockMovement
from emporia.core.ledger.models import JournalEntry, Posting


@pytest.mark.django_db
@pytest.mark.parametrize("model", [JournalEntry, Posting, StockMovement])
def test_the_ledger_and_movement_log_are_read_only_in_admin(rf, operator, model):
    request = rf.get("/")
    request.user = operator
    model_admin = admin.site._registry[model]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


@pytest.mark.django_db
def test_operators_can_open_the_ledger_admin_pages(client, user_factory):
    superuser = user_factory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    for path in (
        "/admin/ledger/journalentry/",
        "/admin/ledger/posting/",
        "/admin/inventory/stockitem/",
    ):
        assert client.get(path).status_code == 200
