"""Domain errors.

Services raise these; the API layer turns each into an HTTP answer with the
status given here and the message as written, so messages are for people.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses. ``status`` is the HTTP status the API uses."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, **details):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"


class NotFound(DomainError):
    """The object does not exist *for this caller*: also used to hide others' data."""

    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """The request clashes with the current state (stale status, reused key)."""

    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class OutOfStock(Conflict):
    code = "out_of_stock"


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"
