"""Score every trade of the governance window again (after changing weights
or thresholds, or to backfill)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from emporia.modes.c2c.governance import scoring


class Command(BaseCommand):
    help = "Rescore every trade in the fake-trade governance window."

    def handle(self, *args, **options):
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"scored {done}/{total}")

        done = scoring.rescore_all(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{done} trades scored in {time.perf_counter() - started:.1f} s"
            )
        )
