from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "emporia.infra.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
