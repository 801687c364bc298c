"""Sign up, log in (email or mobile), log out, address book, API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporia.core.accounts import selectors as accounts
from emporia.core.accounts import services as account_services
from emporia.core.accounts.clients import client_from_request
from emporia.core.checkout import services as checkout
from emporia.kernel.errors import DomainError

from .. import attribution
from ..forms import AddressForm, LoginForm, SignupForm, TokenForm
from .cart import _safe_next
from .common import form_error, language, login_page, page


def _log_in(request, user) -> None:
    """Log in, remember the client (IP, device) and bring the anonymous
    session's cart along."""
    anonymous_key = request.session.session_key
    login(request, user, backend="emporia.core.accounts.backends.EmailOrMobileBackend")
    account_services.record_login(
        user=user, client=client_from_request(request), channel="web"
    )
    if anonymous_key:
        checkout.merge_carts(user=user, session_key=anonymous_key)


def _next(request) -> str:
    return request.POST.get("next") or request.GET.get("next") or ""


@page
def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = account_services.register_user(
                display_name=data["display_name"],
                email=data["email"] or None,
                mobile=data["mobile"] or None,
                password=data["password"],
                language=language(request),
                signup_context=attribution.signup_context(request),
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            _log_in(request, user)
            messages.success(request, _("Welcome to Emporia!"))
            return attribution.set_device_cookie(
                request, redirect(_safe_next(request, reverse("web:home")))
            )
    attribution.ensure_device(request)
    return attribution.set_device_cookie(
        request,
        render(
            request, "web/account/signup.html", {"form": form, "next": _next(request)}
        ),
    )


@page
def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["login"],
            password=form.cleaned_data["password"],
        )
        if user is None:
            form.add_error(None, _("The login or the password is not right."))
        else:
            _log_in(request, user)
            return redirect(_safe_next(request, reverse("web:home")))
    return render(
        request,
        "web/account/login.html",
        {"form": form, "next": _next(request)},
    )


@require_POST
def logout_view(request):
    logout(request)
    return redirect("web:home")


@login_page
def addresses(request):
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        is_default = data.pop("is_default")
        try:
            account_services.add_address(
                user=request.user, data=data, is_default=is_default
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Address saved."))
            return redirect(_safe_next(request, reverse("web:addresses")))
    return render(
        request,
        "web/account/addresses.html",
        {
            "form": form,
            "addresses": accounts.addresses_for(request.user),
            "next": request.GET.get("next") or request.POST.get("next", ""),
        },
    )


@require_POST
@login_page
def address_delete(request, address_id: int):
    account_services.delete_address(user=request.user, address_id=address_id)
    messages.success(request, _("Address removed."))
    return redirect("web:addresses")


@login_page
def tokens(request):
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = account_services.create_api_token(
            user=request.user, name=form.cleaned_data["name"]
        )
        form = TokenForm()
    return render(
        request,
        "web/account/tokens.html",
        {"form": form, "raw": raw, "tokens": accounts.tokens_for(request.user)},
    )


@require_POST
@login_page
def token_revoke(request, token_id: int):
    account_services.revoke_api_token(user=request.user, token_id=token_id)
    messages.success(request, _("Token revoked."))
    return redirect("web:tokens")
