"""API authentication: a bearer token (personal token or organization API
key) or the web session (with CSRF on unsafe methods).

Authenticated handlers read the user as ``request.auth``; an organization
API key also sets ``request.api_organization``.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from emporia.core.accounts import services as accounts


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = accounts.authenticate_token(raw=token)
        if found is None:
            return None
        user, organization = found
        request.user = user
        request.api_organization = organization
        return user


class WebSession(SessionAuth):
    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if user is not None:
            request.api_organization = None
        return user


bearer = BearerToken()
session = WebSession()
AUTH = [bearer, session]
