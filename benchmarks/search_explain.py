"""EXPLAIN ANALYZE of the PostgreSQL search queries on the catalog benchmark's data.

    .venv/bin/python benchmarks/search_explain.py [--analyze]

Seeds 2,000 products with real Taobao titles into a scratch PostgreSQL
database, runs the search selector for a few Chinese words and prints each
search query's plan and the selector's time. ``--analyze`` first gathers
statistics for every table (as autovacuum would on a live database).
"""

from __future__ import annotations

import argparse
import os
import time

import catalog as catalog_bench
from common import database, product_titles, seed

PG = "postgres://postgres@127.0.0.1:5432/postgres"
WORDS = ["连衣裙", "手机", "儿童", "新款"]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--postgres", default=PG)
    p.add_argument("--products", type=int, default=2000)
    p.add_argument("--analyze", action="store_true")
    args = p.parse_args()
    titles = product_titles(args.products, fallback=WORDS)
    with database(args.postgres) as env:
        seed(env, catalog_bench.SEED.format(titles=titles))
        if args.analyze:
            seed(
                env,
                "from django.db import connection\n"
                "connection.cursor().execute('ANALYZE')\nprint('{}')",
            )
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "emporia.config.settings"
        # Django is set up only once the environment names the scratch database.
        import django

        django.setup()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from emporia.core.search import selectors

        for word in WORDS:
            with CaptureQueriesContext(connection) as ctx:
                found = selectors.search(query=word)
            print(f"=== {word!r}: {found.total} matches")
            for q in ctx.captured_queries:
                if "search_searchdocument" in q["sql"]:
                    with connection.cursor() as cur:
                        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                        print("\n".join(row[0] for row in cur.fetchall()))
            t0 = time.perf_counter()
            for _ in range(20):
                selectors.search(query=word)
            per = (time.perf_counter() - t0) / 20 * 1000
            print(f"selector: {per:.1f} ms per search")
        connection.close()


if __name__ == "__main__":
    main()
