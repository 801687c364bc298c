"""Verifying Emporia webhooks on the receiving side.

Every delivery is a ``POST`` with a JSON body::

    {"id": 42, "topic": "orders.order_paid", "version": 1,
     "occurred_at": "2026-11-11T10:00:00+00:00", "data": {...}}

and these headers:

``X-Emporia-Event``
    the topic, e.g. ``orders.order_paid``;
``X-Emporia-Delivery``
    the delivery id: the same for every retry of one (event, endpoint), so a
    receiver can drop duplicates by it (or by the body's ``id``);
``X-Emporia-Signature``
    ``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`` keyed with the
    endpoint's secret (shown once, when the endpoint is created). The body is
    re-signed with a fresh ``t`` on every attempt.

Answer any 2xx quickly to acknowledge; anything else (or no answer within 5 s)
is retried with exponential backoff, up to ``EMPORIA["WEBHOOK_MAX_ATTEMPTS"]``
attempts. Deliveries may arrive more than once and out of order.

A receiver written in Python can use :func:`verify_signature`; in another
language, recompute the HMAC over the raw bytes (before any JSON parsing) and
compare in constant time.
"""

from __future__ import annotations

from emporia.infra import signing


def verify_signature(
    secret: str, header: str, body: bytes, tolerance: int = 300
) -> bool:
    """True when ``header`` (``X-Emporia-Signature``) signs ``body`` with
    ``secret`` and its timestamp is within ``tolerance`` seconds of now.

    ``body`` must be the raw request bytes exactly as received.
    """
    try:
        signing.verify(secret, header, body, tolerance=tolerance)
    except signing.SignatureError:
        return False
    return True
