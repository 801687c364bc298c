from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "emporia.modes.social"
    label = "social"
    verbose_name = "Social commerce"

    def ready(self):
        from . import group_wiring, growth_wiring

        group_wiring.register()
        growth_wiring.register()
