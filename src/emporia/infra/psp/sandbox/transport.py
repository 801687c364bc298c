"""How the sandbox gateway reaches the merchant's callback endpoint.

``EMPORIA["SANDBOX_CALLBACK_TRANSPORT"]`` chooses:

``"http"`` (default)
    a real ``POST`` to the callback URL over a kept-alive connection
    (``http.client``, one per sender thread and host); a path is resolved
    against ``EMPORIA["PUBLIC_BASE_URL"]``. The standard library's client,
    not httpx: it costs ~0.4 ms of CPU per callback against httpx's ~1.2 ms
    (measured in the fifth pass of ``docs/performance.md``), and the
    callback is sent once for every paid order.
``"inprocess"`` (the test settings)
    the same ``POST`` through ``django.test.Client``: the request still goes
    through URL routing, every middleware and the platform's view, without a
    listening server. Nothing is mocked.
"""

from __future__ import annotations

import functools
import http.client
import threading
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client

HTTP = "http"
INPROCESS = "inprocess"
TIMEOUT_SECONDS = 5.0


def mode() -> str:
    chosen = settings.EMPORIA.get("SANDBOX_CALLBACK_TRANSPORT", HTTP)
    if chosen not in (HTTP, INPROCESS):
        raise ValueError(
            f"EMPORIA['SANDBOX_CALLBACK_TRANSPORT'] is {chosen!r}; "
            f"use {HTTP!r} or {INPROCESS!r}"
        )
    return chosen


def absolute(url: str) -> str:
    if url.startswith("/"):
        return settings.EMPORIA["PUBLIC_BASE_URL"].rstrip("/") + url
    return url


def _path(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


_local = threading.local()
_STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


def _connection(scheme: str, netloc: str, fresh: bool):
    """This thread's kept-alive connection to ``netloc`` (a new one when
    ``fresh``): http.client connections are not thread-safe, threads are few
    (the sandbox's sender pool and the retry job)."""
    pool = _local.__dict__.setdefault("connections", {})
    key = (scheme, netloc)
    conn = pool.get(key)
    if conn is None or fresh:
        if conn is not None:
            conn.close()
        kind = (
            http.client.HTTPSConnection
            if scheme == "https"
            else (http.client.HTTPConnection)
        )
        conn = pool[key] = kind(netloc, timeout=TIMEOUT_SECONDS)
    return conn


def _http_post(url: str, body: bytes, headers: dict[str, str]) -> int:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    headers = {"Content-Type": "application/json", **headers}
    for attempt in (1, 2):
        conn = _connection(parts.scheme, parts.netloc, fresh=attempt == 2)
        reused = conn.sock is not None
        try:
            conn.request("POST", _path(url), body=body, headers=headers)
            response = conn.getresponse()
            response.read()
        except _STALE:
            conn.close()
            if reused and attempt == 1:
                continue  # the merchant closed the idle connection: reconnect once
            raise
        except BaseException:
            conn.close()
            raise
        if response.will_close:
            conn.close()
        return response.status
    raise AssertionError("unreachable")


@functools.cache
def _test_client() -> Client:
    # Building a Client loads every middleware; do it once per process.
    return Client(raise_request_exception=False)


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST ``body`` to ``url``; returns (status code or None, error text)."""
    if mode() == INPROCESS:
        response = _test_client().post(
            _path(url), data=body, content_type="application/json", headers=headers
        )
        return response.status_code, ""
    try:
        return _http_post(absolute(url), body, headers), ""
    except TimeoutError:
        return None, f"No answer within {TIMEOUT_SECONDS:g} s"
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
