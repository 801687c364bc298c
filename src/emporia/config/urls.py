from django.contrib import admin
from django.urls import include, path

from emporia.api.urls import api, nested_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", nested_urls(api.urls)),
    path("sandbox-pay/", include("emporia.infra.psp.sandbox.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("emporia.web.urls")),
]
