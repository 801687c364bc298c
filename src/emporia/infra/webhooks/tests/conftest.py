import pytest

from emporia.infra.testing import start_receiver, stop_receiver


@pytest.fixture
def receiver():
    """A real HTTP server on 127.0.0.1 (ephemeral port) recording POSTs."""
    server = start_receiver()
    yield server
    stop_receiver(server)
