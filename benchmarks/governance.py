"""Fake-trade governance at scale: score 100,000 orders.

Generates a marketplace (``emporia.modes.c2c.governance.synthetic``: Zipf
shop popularity, sellers who also buy, planted rings and sock-puppet
clusters) bulk-inserted into a fresh database, then measures

- the full rescore (``scoring.rescore_all``, what ``manage.py
  c2c_governance_rescore`` runs): wall time, trades per second, peak Python
  memory (tracemalloc) and the process's peak RSS;
- the incremental job (``scoring.score_pending``) after 1,000 trades are
  queued: wall time;
- precision and recall of the flags against the planted ground truth.

    python benchmarks/governance.py [--orders 100000] [--postgres URL] [--json FILE]
"""

from __future__ import annotations

import json

from common import RESULTS, base_args, database, seed

SCRIPT = """
import random, resource, time, tracemalloc
from emporia.kernel import clock
from emporia.modes.c2c.governance import config, scoring, synthetic
from emporia.modes.c2c.models import TradeAssessment
from django.conf import settings
settings.EMPORIA["C2C_GOVERNANCE"] = {{"AUTO_PENALTY_SCORE": None}}
t0 = time.perf_counter()
world = synthetic.generate(orders={orders}, now=clock.now(), seed=5)
generated = time.perf_counter() - t0
tracemalloc.start()
t0 = time.perf_counter()
scored = scoring.rescore_all()
full = time.perf_counter() - t0
_, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
flagged = set(TradeAssessment.objects.filter(
    score__gte=config.get("FLAG_SCORE")).values_list("order_id", flat=True))
tp = len(flagged & world.fake_order_ids)
ids = random.Random(1).sample(sorted(world.honest_order_ids | world.fake_order_ids), 1000)
scoring.request_scoring(order_ids=ids)
t0 = time.perf_counter()
incremental = scoring.score_pending(limit=1000)
inc = time.perf_counter() - t0
print(json.dumps({{
    "orders": world.orders, "shops": world.shops, "buyers": world.buyers,
    "rings": len(world.ring_members), "planted_fakes": len(world.fake_order_ids),
    "generate_s": round(generated, 1), "full_rescore_s": round(full, 1),
    "trades_per_s": round(scored / full), "peak_python_mib": round(peak / 2**20, 1),
    "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "incremental_queued": 1000, "incremental_scored": incremental,
    "incremental_s": round(inc, 2), "flagged": len(flagged),
    "precision": round(tp / len(flagged), 3) if flagged else None,
    "recall": round(tp / len(world.fake_order_ids), 3),
}}))
"""


def main():
    p = base_args(__doc__.splitlines()[0])
    p.add_argument("--orders", type=int, default=100_000)
    args = p.parse_args()
    with database(args.postgres) as env:
        figures = seed(env, SCRIPT.format(orders=args.orders))
    figures["database"] = "postgresql" if args.postgres else "sqlite"
    print(json.dumps(figures, indent=2))
    out = args.json or RESULTS / f"governance-{figures['database']}.json"
    with open(out, "w") as f:
        json.dump(figures, f, indent=2)


if __name__ == "__main__":
    main()
