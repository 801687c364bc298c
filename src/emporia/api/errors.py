"""One error shape for the whole API::

    {"error": {"code": "out_of_stock", "message": "Only 2 left of …", "details": {…}}}

Domain errors carry their own status; request validation problems become 422
with the offending fields named; a body that is not JSON becomes 400.

Messages are in the request's language. django-ninja reports a request of
the wrong shape with pydantic's English ``msg``; we word each problem again
from its ``type`` and ``ctx`` (the limit it broke), in ``message`` and in
each ``details.fields[].message``, and fall back to pydantic's words for a
type we have not worded. Codes and field paths never change with the
language: programs branch on those.
"""

from __future__ import annotations

import json
import logging
import re

from babel.lists import format_list
from django.http import Http404, JsonResponse
from django.utils.translation import get_language, ngettext, to_locale
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from emporia.kernel.errors import DomainError
from emporia.kernel.money import CurrencyMismatch

log = logging.getLogger(__name__)

# Where django-ninja found a value (and the usual name of a body parameter),
# left out of the field name in ``message``.
_SOURCES = ("body", "payload", "query", "path")


def error_body(code: str, message: str, **details) -> dict:
    body = {"error": {"code": code, "message": message}}
    if details:
        body["error"]["details"] = details
    return body


def _field(err: dict) -> str:
    loc = [str(p) for p in err.get("loc", []) if p not in _SOURCES]
    return ".".join(loc) or _("request")


def _problem(err: dict) -> str:
    """What is wrong with one value, as a phrase that follows its field name
    ("quantity: must be greater than 0")."""
    ctx = err.get("ctx") or {}
    match err.get("type"):
        case "missing":
            return _("required")
        case "int_parsing" | "int_type" | "int_from_float":
            return _("must be a whole number")
        case "int_parsing_size":
            return _("is too large a number")
        case "float_parsing" | "float_type" | "decimal_parsing" | "decimal_type":
            return _("must be a number")
        case "finite_number":
            return _("must be a finite number")
        case "decimal_max_digits":
            n = ctx["max_digits"]
            return ngettext(
                "must have at most %(max_digits)s digit",
                "must have at most %(max_digits)s digits",
                n,
            ) % {"max_digits": n}
        case "decimal_max_places":
            n = ctx["decimal_places"]
            return ngettext(
                "must have at most %(decimal_places)s decimal place",
                "must have at most %(decimal_places)s decimal places",
                n,
            ) % {"decimal_places": n}
        case "decimal_whole_digits":
            n = ctx["whole_digits"]
            return ngettext(
                "must have at most %(whole_digits)s digit before the decimal point",
                "must have at most %(whole_digits)s digits before the decimal point",
                n,
            ) % {"whole_digits": n}
        case "string_type":
            return _("must be a string")
        case "string_too_short" if ctx.get("min_length") == 1:
            return _("must not be empty")
        case "string_too_short":
            n = ctx["min_length"]
            return ngettext(
                "must have at least %(min_length)s character",
                "must have at least %(min_length)s characters",
                n,
            ) % {"min_length": n}
        case "string_too_long":
            n = ctx["max_length"]
            return ngettext(
                "must have at most %(max_length)s character",
                "must have at most %(max_length)s characters",
                n,
            ) % {"max_length": n}
        case "string_pattern_mismatch":
            return _("must match the pattern %(pattern)s") % {"pattern": ctx["pattern"]}
        case "bool_parsing" | "bool_type":
            return _("must be true or false")
        case "greater_than":
            return _("must be greater than %(gt)s") % {"gt": ctx["gt"]}
        case "greater_than_equal":
            return _("must be at least %(ge)s") % {"ge": ctx["ge"]}
        case "less_than":
            return _("must be less than %(lt)s") % {"lt": ctx["lt"]}
        case "less_than_equal":
            return _("must be at most %(le)s") % {"le": ctx["le"]}
        case "too_short":
            n = ctx["min_length"]
            return ngettext(
                "must have at least %(min_length)s item",
                "must have at least %(min_length)s items",
                n,
            ) % {"min_length": n}
        case "too_long":
            n = ctx["max_length"]
            return ngettext(
                "must have at most %(max_length)s item",
                "must have at most %(max_length)s items",
                n,
            ) % {"max_length": n}
        case "literal_error" | "enum":
            return _("must be %(choices)s") % {"choices": _choices(ctx["expected"])}
        case (
            "date_parsing"
            | "date_type"
            | "date_from_datetime_parsing"
            | "date_from_datetime_inexact"
        ):
            return _("must be a date (YYYY-MM-DD)")
        case "list_type":
            return _("must be an array")
        case "dict_type" | "model_type" | "model_attributes_type":
            return _("must be an object")
    return err.get("msg", "is invalid")


# pydantic lists the allowed literals as "'a', 'b' or 'c'".
_CHOICE = re.compile(r"'[^']*'")


def _choices(expected: str) -> str:
    """The allowed values joined by the request's language's "or"; pydantic's
    own wording when they are not the plain quoted strings it joined."""
    items = _CHOICE.findall(expected)
    english = ", ".join(items[:-1]) + " or " + items[-1] if len(items) > 1 else ""
    if english != expected:
        return expected
    return format_list(items, style="or", locale=to_locale(get_language() or "en"))


def _describe(err: dict) -> str:
    return _("%(field)s: %(problem)s") % {
        "field": _field(err),
        "problem": _problem(err),
    }


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
        if _body_is_json_but_not_an_object(request, errors):
            # django-ninja reads a list, number or null as an empty object
            # and names every field "required": say what is wrong instead.
            return JsonResponse(
                error_body(
                    "validation_failed",
                    _("The request body must be a JSON object"),
                    fields=[{"field": "body", "message": _("must be an object")}],
                ),
                status=422,
            )
        fields = [
            {
                "field": ".".join(str(p) for p in e.get("loc", [])),
                "message": _problem(e),
            }
            for e in errors
        ]
        # Translators: between two problems in one message ("a: …; b: …").
        message = _("; ").join(_describe(e) for e in errors)
        return JsonResponse(
            error_body("validation_failed", message, fields=fields), status=422
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


def _body_is_json_but_not_an_object(request, errors: list[dict]) -> bool:
    locs = [tuple(e.get("loc", ())) for e in errors]
    if not any(loc[:1] == ("body",) for loc in locs):
        return False
    if any(len(loc) > 2 and isinstance(loc[2], int) for loc in locs):
        return False  # an endpoint that takes a list, with a bad item
    if request.content_type != "application/json":
        return False
    try:
        data = json.loads(request.body)
    except ValueError:  # not JSON at all (UnicodeDecodeError included)
        return False
    return not isinstance(data, dict)


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
