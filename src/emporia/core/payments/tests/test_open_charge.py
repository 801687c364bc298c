"""A payment's charge is opened at the provider before the checkout writes
anything, never with the checkout's rows locked; the payment recorded later
must be for exactly what the charge was opened for."""

import uuid

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from emporia.core.checkout import services as checkout
from emporia.core.payments import services as payments
from emporia.core.payments.models import Payment
from emporia.infra.psp.base import providers
from emporia.infra.psp.sandbox.models import SandboxCharge
from emporia.kernel.money import Money

pytestmark = pytest.mark.django_db


def test_opening_a_charge_writes_only_at_the_provider():
    with CaptureQueriesContext(connection) as platform:
        opened = payments.open_charge(
            amount=Money(1990, "CNY"), description="E2611240001"
        )
    assert len(platform) == 0
    assert opened.charge.redirect_url.startswith("/sandbox-pay/")
    charge = SandboxCharge.objects.get(merchant_ref=opened.reference)
    assert (charge.amount_minor, charge.currency, charge.status) == (
        1990,
        "CNY",
        "open",
    )


def test_nothing_to_collect_opens_no_charge():
    opened = payments.open_charge(amount=Money(0, "CNY"), description="E1")
    assert opened.charge is None
    assert not SandboxCharge.objects.filter(merchant_ref=opened.reference).exists()


def test_a_payment_for_other_orders_than_the_charge_is_refused(place, buyer):
    order, _payment = place("19.90", buyer=buyer)
    opened = payments.open_charge(amount=Money(1000, "CNY"), description="other")
    before = Payment.objects.count()
    with pytest.raises(ValueError, match="opened for"), transaction.atomic():
        payments.start_payment(buyer=buyer, orders_to_pay=[order], opened=opened)
    assert Payment.objects.count() == before


class RecordingProvider:
    """The sandbox gateway as it is, noting how deep in transactions the
    platform was each time it was asked for a charge."""

    def __init__(self, real):
        self.real, self.depths = real, []

    def create_charge(self, **kwargs):
        self.depths.append(len(connection.atomic_blocks))
        return self.real.create_charge(**kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def recorded_gateway():
    real = providers.get("sandbox")
    recording = RecordingProvider(real)
    providers.unregister("sandbox")
    providers.register("sandbox", recording)
    try:
        yield recording
    finally:
        providers.unregister("sandbox")
        providers.register("sandbox", real)


def test_the_checkout_asks_for_its_charge_outside_its_write_transaction(
    recorded_gateway, shopper, listed_sku
):
    sku = listed_sku("19.90")
    outside = len(connection.atomic_blocks)  # the test's own transaction
    placed = checkout.place_order(
        buyer=shopper,
        idempotency_key=uuid.uuid4().hex,
        lines=[checkout.WantedLine(sku.pk, 1)],
        address_id=shopper.default_address.pk,
    )
    assert recorded_gateway.depths == [outside]
    payment = placed.checkout.payment
    charge = SandboxCharge.objects.get(merchant_ref=payment.reference)
    assert charge.provider_ref == payment.provider_ref
    assert charge.description == placed.checkout.orders.get().number
