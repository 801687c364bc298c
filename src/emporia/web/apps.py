from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "emporia.web"
    label = "web"
