"""Where a visitor came from and which device they use, carried by the web
layer to signup (``accounts.register_user(signup_context=…)``).

- The device id is a random first-party cookie (``emporia_device``, 10 years,
  HttpOnly) — set on the invite landing page and the signup page; an app
  sends ``X-Device-Id`` instead. It identifies a browser, not a person: the
  invite rules use it to spot several accounts made on one device.
- Attribution (``signup_attribution`` in the session) is first touch: the
  first invite link a visitor opens is the one their signup carries.
"""

from __future__ import annotations

import secrets

DEVICE_COOKIE = "emporia_device"
SESSION_KEY = "signup_attribution"
TEN_YEARS = 10 * 365 * 24 * 3600


def device_id(request) -> str:
    value = request.COOKIES.get(DEVICE_COOKIE) or request.headers.get("X-Device-Id")
    if not value:
        value = getattr(request, "_new_device_id", "")
    return (value or "")[:64]


def ensure_device(request) -> str:
    """The request's device id, minting one for a browser that has none (it
    is set on the response by :func:`set_device_cookie`)."""
    if not device_id(request):
        request._new_device_id = "d" + secrets.token_hex(16)
    return device_id(request)


def set_device_cookie(request, response):
    new = getattr(request, "_new_device_id", "")
    if new and not request.COOKIES.get(DEVICE_COOKIE):
        response.set_cookie(
            DEVICE_COOKIE, new, max_age=TEN_YEARS, httponly=True, samesite="Lax"
        )
    return response


def remember_referral(request, code: str) -> None:
    """Keep the first invite code this visitor arrived with."""
    attribution = dict(request.session.get(SESSION_KEY) or {})
    if not attribution.get("referral_code"):
        attribution["referral_code"] = code[:20]
        request.session[SESSION_KEY] = attribution


def signup_context(request) -> dict:
    """What the signup passes to the core: attribution, device, IP."""
    context = dict(request.session.get(SESSION_KEY) or {})
    context["device_id"] = ensure_device(request)
    context["ip"] = request.META.get("REMOTE_ADDR", "")
    return {k: str(v) for k, v in context.items() if v}
