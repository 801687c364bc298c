"""Demo steps for the operating models, run after the core story.

Each entry is ``(description, seed)``; ``seed(seeder)`` receives the
``loader.Seeder`` (its ``world``, ``rng`` and frozen ``clock``) and builds
its mode's demo through that mode's services only. Keep one module per
slice (``demo/c2c_ads.py``…) and add one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import c2c_ads, c2c_credit, c2c_trust, c2cgov, groups, socialgrowth, web3

STEPS: list[tuple[str, Callable[[Any], None]]] = [
    ("Shop profiles in English with logos and banners", web3.seed),
    ("C2C ratings, seller credit and shop visits", c2c_credit.seed),
    ("Invite rewards and orchards", socialgrowth.seed),
    ("C2C: free shop, escrow disputes, doorstep pickup", c2c_trust.seed),
    ("Keyword ads (C2C)", c2c_ads.seed),
    ("C2C trade governance: a ring and sock puppets", c2cgov.seed),
    ("Group buying: campaigns, groups and share funnels", groups.seed),
]
