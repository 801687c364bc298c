from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API has no models; it is an installed app so that Django reads
    its message catalog (``locale/``) as it reads every other app's."""

    name = "emporia.api"
    label = "api"
