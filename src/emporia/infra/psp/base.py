"""The payment-provider boundary.

A provider takes a charge, sends the buyer to a hosted page, and reports the
outcome later in a signed, asynchronous callback; it also refunds. Core's
payments app talks to providers only through this Protocol, found by name in
``providers``. Providers register themselves in their ``AppConfig.ready()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from emporia.kernel.errors import DomainError
from emporia.kernel.money import Money
from emporia.kernel.registry import Registry


class InvalidSignature(DomainError):
    """The callback is not signed by the provider (forged, altered or stale)."""

    status = 401
    code = "invalid_signature"


class MalformedCallback(DomainError):
    status = 400
    code = "malformed_callback"


class ProviderDeclined(DomainError):
    """The provider refused an operation (a refund above what was captured…)."""

    status = 409
    code = "provider_declined"


@dataclass(frozen=True)
class Charge:
    provider_ref: str
    redirect_url: str


@dataclass(frozen=True)
class CallbackData:
    """What a verified callback says. ``status`` is "succeeded" or "failed".

    ``payer_ref``: an opaque, stable reference of the account that paid (a card
    fingerprint, a wallet id) when the provider reports one, else "". Two
    payments with the same ``payer_ref`` were paid from the same account;
    nothing else can be learned from it (no card numbers reach us)."""

    event_id: str
    provider_ref: str
    merchant_ref: str
    status: str
    amount: Money
    occurred_at: dt.datetime
    raw: dict
    payer_ref: str = ""


@dataclass(frozen=True)
class RefundResult:
    provider_ref: str
    succeeded: bool
    message: str = ""


class PaymentProvider(Protocol):
    """Contract:

    - ``create_charge`` registers an amount to collect and returns where to
      send the buyer; it never reports success itself.
    - ``parse_callback`` verifies the signature over the raw body (raising
      InvalidSignature) and parses it (raising MalformedCallback); it does not
      deduplicate: the same event may arrive many times, late or out of order.
    - ``refund`` returns money to the buyer; the same ``key`` twice refunds once.
    """

    name: str

    def create_charge(
        self,
        *,
        merchant_ref: str,
        amount: Money,
        description: str,
        callback_url: str,
        return_url: str,
    ) -> Charge: ...

    def parse_callback(
        self, *, body: bytes, headers: Mapping[str, str]
    ) -> CallbackData: ...

    def refund(self, *, provider_ref: str, amount: Money, key: str) -> RefundResult: ...


providers: Registry[PaymentProvider] = Registry(
    "payments.providers", "Payment providers by name (sandbox built in)"
)
