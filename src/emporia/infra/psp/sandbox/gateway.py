"""The sandbox gateway as a :class:`~emporia.infra.psp.base.PaymentProvider`.

Registered as ``"sandbox"`` in ``providers``. The platform creates a charge,
sends the buyer to ``redirect_url`` (the hosted pay page), and learns the
outcome only from a signed callback POSTed to its ``callback_url``::

    X-Sandbox-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">
    {"event_id": "sbx_evt_…", "provider_ref": "sbx_ch_…", "merchant_ref": "…",
     "status": "succeeded" | "failed", "amount_minor": 1999, "currency": "CNY",
     "occurred_at": "2026-11-11T10:00:00+00:00", "payer_ref": "sbx_pa_…"}

``payer_ref`` (successful payments only) fingerprints the test card paid with.

keyed with ``EMPORIA["SANDBOX_PSP_SECRET"]``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from emporia.infra import signing
from emporia.infra.psp.base import (
    CallbackData,
    Charge,
    InvalidSignature,
    MalformedCallback,
    RefundResult,
)
from emporia.kernel.money import Money

from . import services

TOLERANCE_SECONDS = 300
STATUSES = ("succeeded", "failed")


def _header(headers: Mapping[str, str], name: str) -> str:
    """Find a header in Django's ``request.headers``, a plain dict or ``META``."""
    wanted = name.lower()
    for key, value in headers.items():
        normal = key.lower().replace("_", "-")
        if normal.startswith("http-"):
            normal = normal[5:]
        if normal == wanted:
            return value
    return ""


class SandboxGateway:
    """Sandbox Pay — a test gateway that behaves like a real third party."""

    name = "sandbox"

    def create_charge(
        self,
        *,
        merchant_ref: str,
        amount: Money,
        description: str,
        callback_url: str,
        return_url: str,
    ) -> Charge:
        charge = services.create_charge(
            merchant_ref=merchant_ref,
            amount=amount,
            description=description,
            callback_url=callback_url,
            return_url=return_url,
        )
        return Charge(
            provider_ref=charge.provider_ref, redirect_url=services.pay_url(charge)
        )

    def parse_callback(
        self, *, body: bytes, headers: Mapping[str, str]
    ) -> CallbackData:
        header = _header(headers, services.SIGNATURE_HEADER)
        if not header:
            raise InvalidSignature(f"The {services.SIGNATURE_HEADER} header is missing")
        try:
            signing.verify(services.secret(), header, body, tolerance=TOLERANCE_SECONDS)
        except signing.SignatureError as exc:
            raise InvalidSignature(str(exc)) from exc
        try:
            data = json.loads(body)
            status = data["status"]
            if status not in STATUSES:
                raise ValueError(f"unknown status {status!r}")
            amount_minor = data["amount_minor"]
            if not isinstance(amount_minor, int) or isinstance(amount_minor, bool):
                raise TypeError("amount_minor must be an integer")
            occurred_at = dt.datetime.fromisoformat(data["occurred_at"])
            if occurred_at.tzinfo is None:
                raise ValueError("occurred_at needs a time zone")
            return CallbackData(
                event_id=str(data["event_id"]),
                provider_ref=str(data["provider_ref"]),
                merchant_ref=str(data["merchant_ref"]),
                status=status,
                amount=Money(amount_minor, str(data["currency"])),
                occurred_at=occurred_at,
                raw=data,
                payer_ref=str(data.get("payer_ref") or "")[:64],
            )
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise MalformedCallback(f"The callback body is malformed: {exc}") from exc

    def refund(self, *, provider_ref: str, amount: Money, key: str) -> RefundResult:
        return services.refund(provider_ref=provider_ref, amount=amount, key=key)


gateway = SandboxGateway()
