from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "emporia.infra.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        from . import jobs  # noqa: F401  (registers jobs.purge_log)
