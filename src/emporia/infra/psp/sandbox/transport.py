"""How the sandbox gateway reaches the merchant's callback endpoint.

``EMPORIA["SANDBOX_CALLBACK_TRANSPORT"]`` chooses:

``"http"`` (default)
    a real ``POST`` with httpx to the callback URL; a path is resolved against
    ``EMPORIA["PUBLIC_BASE_URL"]``.
``"inprocess"`` (the test settings)
    the same ``POST`` through ``django.test.Client``: the request still goes
    through URL routing, every middleware and the platform's view, without a
    listening server. Nothing is mocked.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

import httpx
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


@functools.cache
def _http_client() -> httpx.Client:
    """One pooled client per process: keep-alive connections to the merchant
    (httpx.Client is thread-safe)."""
    return httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False)


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
        response = _http_client().post(
            absolute(url),
            content=body,
            headers={"Content-Type": "application/json", **headers},
        )
    except httpx.TimeoutException:
        return None, f"No answer within {TIMEOUT_SECONDS:g} s"
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    return response.status_code, ""
