"""Web middleware."""

from __future__ import annotations

import secrets

from emporia.core.accounts.clients import DEVICE_COOKIE, clean_device_id

DEVICE_COOKIE_MAX_AGE = 2 * 365 * 24 * 3600


class DeviceCookieMiddleware:
    """Give every browser a random, first-party device id cookie
    (``emporia_did``, two years, HttpOnly, SameSite=Lax) on its first visit.

    The id identifies the browser, not the person; login and checkout store
    it (``accounts.clients``) so trust and safety can see two accounts used
    from one device. A request whose cookie is missing or malformed gets a
    fresh one; the id is set on the request too, so the first page already
    has it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fresh = None
        if not clean_device_id(request.COOKIES.get(DEVICE_COOKIE)):
            fresh = secrets.token_urlsafe(18)
            request.COOKIES[DEVICE_COOKIE] = fresh
        response = self.get_response(request)
        if fresh is not None:
            response.set_cookie(
                DEVICE_COOKIE,
                fresh,
                max_age=DEVICE_COOKIE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
