"""Demo data for `emporia demo` and `make run`.

An operator (admin@emporia.test / emporia-admin), a demo seller and a demo
buyer (seller@emporia.test and buyer@emporia.test / emporia-demo), six shops
from the self-operated store to individual sellers, forty products and orders
in every state, all created through the services. ``seed`` is the entry
point; the data lives in ``shops_data``, ``catalog_data`` and ``people``, the orders' stories
in ``story``.
"""

from __future__ import annotations

from .loader import seed
from .people import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    BUYER_EMAIL,
    DEMO_PASSWORD,
    SELLER_EMAIL,
)

__all__ = [
    "ADMIN_EMAIL",
    "ADMIN_PASSWORD",
    "BUYER_EMAIL",
    "DEMO_PASSWORD",
    "SELLER_EMAIL",
    "seed",
]
