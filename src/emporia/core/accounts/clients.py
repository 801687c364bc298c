"""Who is on the other end of a request: the client's IP address and device id.

Captured at the moments that matter for trust and safety — a login and the
placement of orders — so that governance can tell when a buyer and a seller
are the same person behind two accounts. Nothing else reads them.

- ``ip``: ``REMOTE_ADDR`` as Django sees it. Behind a reverse proxy set
  ``EMPORIA["TRUSTED_PROXY_HEADER"]`` (e.g. ``"HTTP_X_REAL_IP"``) to the header
  the proxy sets; a client-supplied ``X-Forwarded-For`` is never trusted.
- ``device_id``: the ``X-Device-Id`` header an app sends, else the long-lived
  first-party cookie ``emporia_did`` the web sets on first visit
  (``web.middleware.DeviceCookieMiddleware``). Random, opaque, 8–64 characters
  of ``[A-Za-z0-9_-]``; anything else is dropped.

Privacy: IPs and device ids are personal data. They are stored in full for
``EMPORIA["CLIENT_DATA_RETENTION_DAYS"]`` (default 180) and then blanked by
the ``accounts.forget_client_data`` job; see docs/modes/c2cgov.md.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from django.conf import settings

DEVICE_COOKIE = "emporia_did"
DEVICE_HEADER = "HTTP_X_DEVICE_ID"
_DEVICE_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


@dataclass(frozen=True)
class ClientInfo:
    """The client's IP address (None when unknown) and device id ("" when unknown)."""

    ip: str | None = None
    device_id: str = ""


UNKNOWN = ClientInfo()


def clean_device_id(value: str | None) -> str:
    value = (value or "").strip()
    return value if _DEVICE_RE.match(value) else ""


def clean_ip(value: str | None) -> str | None:
    value = (value or "").strip()
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def client_from_request(request) -> ClientInfo:
    """The ClientInfo of a Django request (never raises)."""
    meta = getattr(request, "META", {}) or {}
    header = settings.EMPORIA.get("TRUSTED_PROXY_HEADER") or "REMOTE_ADDR"
    ip = clean_ip(meta.get(header) or meta.get("REMOTE_ADDR"))
    device = clean_device_id(meta.get(DEVICE_HEADER)) or clean_device_id(
        getattr(request, "COOKIES", {}).get(DEVICE_COOKIE)
    )
    return ClientInfo(ip=ip, device_id=device)
