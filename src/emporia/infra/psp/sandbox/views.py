"""The hosted pay page, as the buyer sees it at the gateway.

The token in the URL is the capability, so the POST needs no CSRF token (the
buyer's platform session is none of the gateway's business) and the page is
never cached nor leaked in a Referer.
"""

from __future__ import annotations

from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from emporia.kernel.errors import ValidationFailed
from emporia.kernel.money import Money

from . import services
from .models import SandboxCharge


@csrf_exempt
@require_http_methods(["GET", "POST"])
def pay_page(request, token: str):
    charge = services.charge_by_token(token)
    if charge is None:
        raise Http404("No such charge")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "pay":
            try:
                services.pay(
                    token, card=request.POST.get("card", "")[:40], charge=charge
                )
            except ValidationFailed as exc:
                return HttpResponseBadRequest(exc.message)
        elif action == "decline":
            services.decline(token, charge=charge)
        else:
            return HttpResponseBadRequest(_("action must be pay or decline"))
        response = HttpResponseRedirect(charge.return_url)
    else:
        amount = Money(charge.amount_minor, charge.currency)
        response = render(
            request,
            "sandbox_psp/pay.html",
            {
                "charge": charge,
                "amount_zh": amount.format("zh_Hans_CN"),
                "amount_en": amount.format("en"),
                "is_open": charge.status == SandboxCharge.Status.OPEN,
                "card": services.default_card(charge.token),
            },
        )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
