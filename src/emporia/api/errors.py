"""One error shape for the whole API::

    {"error": {"code": "out_of_stock", "message": "Only 2 left of …", "details": {…}}}

Domain errors carry their own status; request validation problems become 422
with the offending fields named; a body that is not JSON becomes 400.
"""

from __future__ import annotations

import logging

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from emporia.kernel.errors import DomainError
from emporia.kernel.money import CurrencyMismatch

log = logging.getLogger(__name__)


def error_body(code: str, message: str, **details) -> dict:
    body = {"error": {"code": code, "message": message}}
    if details:
        body["error"]["details"] = details
    return body


def _describe(err: dict) -> str:
    loc = [
        str(p)
        for p in err.get("loc", [])
        if p not in ("body", "payload", "query", "path")
    ]
    where = ".".join(loc) or "request"
    return f"{where}: {err.get('msg', 'is invalid')}"


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return JsonResponse(
            error_body(exc.code, exc.message, **_jsonable(exc.details)),
            status=exc.status,
        )

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        errors = exc.errors
        if any(e.get("type") == "json_invalid" for e in errors):
            return _malformed_json()
        messages = [_describe(e) for e in errors]
        fields = [
            {
                "field": ".".join(str(p) for p in e.get("loc", [])),
                "message": e.get("msg", ""),
            }
            for e in errors
        ]
        return JsonResponse(
            error_body("validation_failed", "; ".join(messages), fields=fields),
            status=422,
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request, exc):
        return JsonResponse(
            error_body("unauthenticated", _("Log in or send a valid bearer token")),
            status=401,
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return JsonResponse(error_body("not_found", _("Not found")), status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # django-ninja's own refusals, recognised by their English words.
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return _malformed_json()
        if exc.status_code == 403 and str(exc) == "CSRF check Failed":
            message = _("The CSRF check failed: reload the page and try again")
            return JsonResponse(error_body("http_error", message), status=403)
        return JsonResponse(error_body("http_error", str(exc)), status=exc.status_code)

    @api.exception_handler(CurrencyMismatch)
    def currency_mismatch(request, exc):
        return JsonResponse(error_body("currency_mismatch", str(exc)), status=422)


def _malformed_json() -> JsonResponse:
    return JsonResponse(
        error_body("malformed_json", _("The request body is not valid JSON")),
        status=400,
    )


def _jsonable(details: dict) -> dict:
    return {
        k: (
            v
            if isinstance(v, str | int | float | bool | list | dict | None)
            else str(v)
        )
        for k, v in details.items()
    }
