"""A tiny merchant for the sandbox tests: the platform's real URLs plus a
callback view that verifies what the gateway sends."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from emporia.infra.psp.sandbox.gateway import gateway
from emporia.kernel.errors import DomainError


class Merchant:
    def __init__(self):
        self.reset()

    def reset(self):
        self.status = 200
        self.received = []  # (raw body, headers, CallbackData or error code)


merchant = Merchant()


@csrf_exempt
def callback(request):
    try:
        data = gateway.parse_callback(body=request.body, headers=request.headers)
    except DomainError as exc:
        merchant.received.append((request.body, dict(request.headers), exc.code))
        return HttpResponse(status=exc.status)
    merchant.received.append((request.body, dict(request.headers), data))
    return HttpResponse(status=merchant.status)


urlpatterns = [
    path("test-merchant/callback", callback),
    path("", include("emporia.config.urls")),
]
