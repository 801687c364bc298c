from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "emporia.infra.psp.sandbox"
    label = "sandbox_psp"
    verbose_name = "Sandbox payment gateway"
