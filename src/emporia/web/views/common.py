"""What every view shares: domain errors as pages or form errors, the
shopper's language, the anonymous cart's session key, paging numbers."""

from __future__ import annotations

import functools

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.translation import gettext as _

from emporia.core.checkout import services as checkout
from emporia.core.search.extensions import Visitor
from emporia.kernel.errors import DomainError

HEADINGS = {
    400: "Something is not right",
    401: "Please log in",
    403: "Not allowed",
    404: "Not found",
    409: "That cannot be done now",
    422: "Please check what you entered",
}


def error_page(request, exc: DomainError):
    heading = _(HEADINGS.get(exc.status, HEADINGS[400]))
    return render(
        request,
        "web/error.html",
        {"heading": heading, "message": exc.message},
        status=exc.status,
    )


def page(view):
    """Render a DomainError the view lets through as an error page with its
    status (404 for others' objects, 409 for a clash, 422 for bad input)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return error_page(request, exc)

    return wrapper


def login_page(view):
    """``page`` for logged-in users only; anonymous visitors go to log in."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return page(view)(request, *args, **kwargs)

    return wrapper


def form_error(form, exc: DomainError) -> None:
    """Show a service's refusal next to the field it names, else above the form."""
    field = exc.details.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


def language(request) -> str:
    return getattr(request, "LANGUAGE_CODE", None) or "zh-hans"


def session_key(request) -> str:
    """The session's key, creating the session for a first-time visitor."""
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


def visitor_of(request) -> Visitor:
    """The visitor behind a page request, for sponsored slots and ad clicks."""
    user = request.user
    return Visitor(
        user_id=user.pk if user.is_authenticated else None,
        session_key="" if user.is_authenticated else session_key(request),
        ip=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


def current_cart(request, *, create: bool = True):
    if request.user.is_authenticated:
        return checkout.cart_for(user=request.user, create=create)
    key = request.session.session_key
    if not key and create:
        key = session_key(request)
    return checkout.cart_for(session_key=key, create=create) if key else None


def page_number(request, name: str = "page") -> int:
    try:
        return max(1, min(int(request.GET.get(name, 1)), 1000))
    except (TypeError, ValueError):
        return 1
