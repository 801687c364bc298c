import pytest

from emporia.infra.testing import start_receiver, stop_receiver

from .urls import merchant as the_merchant


@pytest.fixture
def merchant(settings):
    """The test merchant's callback view, routed through real URL resolution."""
    settings.ROOT_URLCONF = "emporia.infra.psp.sandbox.tests.urls"
    the_merchant.reset()
    yield the_merchant
    the_merchant.reset()


@pytest.fixture
def receiver():
    server = start_receiver()
    yield server
    stop_receiver(server)
