from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "emporia.infra.psp.sandbox"
    label = "sandbox_psp"
    verbose_name = "Sandbox payment gateway"

    def ready(self):
        from emporia.infra.psp.base import providers

        from . import jobs  # noqa: F401  (registers sandbox_psp.deliver_callbacks)
        from .gateway import gateway

        providers.register("sandbox", gateway)
