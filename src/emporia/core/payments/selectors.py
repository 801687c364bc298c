"""Payment reads, scoped to the buyer."""

from __future__ import annotations

from emporia.kernel.errors import NotFound

from .models import Payment


def payment_for(*, user, payment_id: int) -> Payment:
    payment = Payment.objects.filter(pk=payment_id, buyer=user).first()
    if payment is None:
        raise NotFound("No such payment")
    return payment
