import pytest

from emporia.infra.testing import start_receiver, stop_receiver


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    """These tests' receivers listen on 127.0.0.1, which webhooks may not
    reach unless an operator allows it (emporia.infra.webhooks.addresses):
    allowed here as on a developer's machine. test_addresses.py takes it
    away again to test the refusals."""
    settings.EMPORIA = {**settings.EMPORIA, "WEBHOOK_ALLOWED_NETWORKS": ["127.0.0.0/8"]}


@pytest.fixture
def receiver():
    """A real HTTP server on 127.0.0.1 (ephemeral port) recording POSTs."""
    server = start_receiver()
    yield server
    stop_receiver(server)
