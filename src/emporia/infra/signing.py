"""Timestamped HMAC signatures for HTTP callbacks.

Both the outgoing webhooks and the sandbox gateway sign a request body the
same way::

    X-…-Signature: t=1762855200,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd

``v1`` is the hex HMAC-SHA256, keyed with the shared secret, of
``"<t>.<raw body>"``. Signing the timestamp with the body lets a receiver
refuse a replay of an old, genuine request: :func:`verify` checks that ``t`` is
within ``tolerance`` seconds of ``kernel.clock.now()``.
"""

from __future__ import annotations

import hashlib
import hmac

from emporia.kernel import clock


class SignatureError(ValueError):
    """The header is missing, malformed, stale or does not match the body."""


def compute(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>.<body>"``."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The signature header value for ``body``, timestamped now by default."""
    t = int(clock.now().timestamp()) if timestamp is None else timestamp
    return f"t={t},v1={compute(secret, t, body)}"


def parse_header(header: str) -> tuple[int, list[str]]:
    """Split ``t=…,v1=…[,v1=…]`` into the timestamp and the v1 signatures."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in (header or "").split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError as exc:
                raise SignatureError("The signature timestamp is not a number") from exc
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        raise SignatureError("The signature header needs t=<unix time> and v1=<hex>")
    return timestamp, signatures


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300) -> int:
    """Check ``header`` against ``body``; return its timestamp or raise
    :class:`SignatureError`. Any of several ``v1`` values may match, which lets
    a sender sign with an old and a new secret while rotating them."""
    timestamp, signatures = parse_header(header)
    age = abs(clock.now().timestamp() - timestamp)
    if age > tolerance:
        raise SignatureError(
            f"The signature is {int(age)} s away from now (tolerance {tolerance} s)"
        )
    expected = compute(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, s) for s in signatures):
        raise SignatureError("The signature does not match the body")
    return timestamp
