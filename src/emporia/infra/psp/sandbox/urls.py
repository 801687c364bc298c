from django.urls import path

from . import views

app_name = "sandbox_psp"
urlpatterns = [path("<str:token>/", views.pay_page, name="pay")]
