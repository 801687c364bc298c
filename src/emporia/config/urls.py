from django.contrib import admin
from django.urls import include, path

from emporia.api.urls import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("sandbox-pay/", include("emporia.infra.psp.sandbox.urls")),
    path("", include("emporia.web.urls")),
]
