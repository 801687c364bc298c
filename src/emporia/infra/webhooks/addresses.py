"""Where webhooks may be sent: the public internet, and the private networks
an operator allows.

A webhook URL is typed in by a shop (or an ERP integrator); the platform
then makes requests to it from inside its own network. Unscreened, that is a
server-side request forgery: a URL naming ``127.0.0.1:6379``, the cloud
metadata service at ``169.254.169.254`` or a machine on the office LAN would
have the platform post to it, and the delivery log would show the answer.

So, twice:

* when an endpoint is registered, an address written as an IP, and the
  ``localhost`` names, must be public (or in an allowed network);
* before every delivery the host name is resolved and *every* address it
  resolves to must be; the request then goes to the address that was checked
  (with the name as ``Host`` and for TLS), so a name that resolves to a
  public address for the check and a private one for the request (DNS
  rebinding) cannot slip through.

"Public" is Python's ``ipaddress`` ``is_global`` (not private, loopback,
link-local, shared, reserved or documentation space) and not multicast.
``EMPORIA["WEBHOOK_ALLOWED_NETWORKS"]`` (``EMPORIA_WEBHOOK_ALLOWED_NETWORKS``,
comma-separated CIDRs) lets an operator allow private networks — an ERP on
the company's own network, or ``127.0.0.0/8`` for development.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.utils.translation import gettext as _

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
LOCAL_NAMES = ("localhost", "localhost.localdomain")


class Refused(Exception):
    """The URL's host is, or resolves to, an address webhooks may not reach."""


@functools.cache
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in spec)


def allowed_networks() -> tuple:
    spec = settings.EMPORIA.get("WEBHOOK_ALLOWED_NETWORKS") or ()
    return _networks(tuple(spec))


def allowed(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if any(address in net for net in allowed_networks()):
        return True
    return address.is_global and not address.is_multicast


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_url(url: str) -> None:
    """Raise Refused for a URL whose host is written as a non-public address
    or is a ``localhost`` name (names are resolved at delivery)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    address = _literal(host)
    if address is None and (host in LOCAL_NAMES or host.endswith(".localhost")):
        address = ipaddress.ip_address("127.0.0.1")
    if address is not None and not allowed(address):
        raise Refused(
            _(
                "%(host)s is a private, loopback or link-local address; webhooks "
                "are sent to public addresses only"
            )
            % {"host": host}
        )


@dataclass(frozen=True)
class Target:
    """Where one delivery goes: the URL with the checked address in place of
    the name, the ``Host`` header, and the name for TLS."""

    url: str
    host_header: str
    tls_name: str | None


def resolve(url: str) -> Target:
    """Resolve the URL's host now and check every address; raise Refused."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _literal(host)
    if address is None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise Refused(f"{host} does not resolve: {exc}") from exc
        found = list(dict.fromkeys(ipaddress.ip_address(i[4][0]) for i in infos))
    else:
        found = [address]
    refused = [str(a) for a in found if not allowed(a)]
    if refused or not found:
        raise Refused(
            f"{host} resolves to {', '.join(refused) or 'nothing'}: not a public "
            "address; webhooks are sent to public addresses only"
        )
    ip = found[0]
    netloc = f"[{ip}]" if ip.version == 6 else str(ip)
    if parts.port:
        netloc += f":{parts.port}"
    host_header = host if not parts.port else f"{host}:{parts.port}"
    pinned = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    return Target(
        url=pinned,
        host_header=host_header,
        tls_name=host if parts.scheme == "https" and address is None else None,
    )
