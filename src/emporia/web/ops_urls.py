from django.urls import path

from .views import ops

urlpatterns = [
    path("", ops.dashboard, name="ops_dashboard"),
]
