from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "emporia.core.checkout"
    label = "checkout"

    def ready(self):
        from . import jobs  # noqa: F401  (registers the retention job)
        from .extensions import FlatShipping, order_adjusters

        order_adjusters.register("checkout.flat_shipping", FlatShipping(), priority=10)
