"""What the HTTP server itself costs: granian against gunicorn on a cheap request.

    .venv/bin/python benchmarks/server_overhead.py --seconds 3 --rounds 2

Runs `emporia serve` with each server in turn (1 worker, 4 threads, same
fresh SQLite database) and sends the same cheap API request (the category
tree of an empty catalog: routing, middleware, one query, JSON) from 8
concurrent clients. It reports the server processes' CPU per request and
requests per second. Rounds alternate the servers so that the neighbours'
noise on a shared machine falls on both alike. The application's own cost
is the same under both; the difference is the server's HTTP handling.
"""

from __future__ import annotations

import asyncio

import httpx
from common import (
    base_args,
    cpu_snapshot,
    cpu_used,
    database,
    hammer,
    report,
    server,
)


async def load(url: str, seconds: float, concurrency: int) -> dict:
    async with httpx.AsyncClient(timeout=30) as client:
        return await hammer(client, [url], seconds, concurrency)


def main():
    p = base_args(__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--concurrency", type=int, default=8)
    args = p.parse_args()
    figures: dict[str, list[dict]] = {"granian": [], "gunicorn": []}
    with database(args.postgres) as env:
        for _ in range(args.rounds):
            for kind in ("gunicorn", "granian"):
                with server(env, workers=1, threads=4, kind=kind) as url:
                    target = url + "/api/catalog/categories"
                    asyncio.run(load(target, 1, args.concurrency))  # warm-up
                    cpu0 = cpu_snapshot()
                    run = asyncio.run(load(target, args.seconds, args.concurrency))
                    cpu = cpu_used(cpu0, cpu_snapshot())
                figures[kind].append(
                    {
                        "server_cpu_ms_per_request": round(
                            (cpu["server"] + cpu["jobs"]) * 1000 / run["requests"], 3
                        ),
                        "requests_per_s": run["requests_per_s"],
                        "errors": run["errors"] + sum(run["transport_errors"].values()),
                    }
                )
    report(
        "server_overhead",
        {
            **figures,
            "database": "postgresql" if args.postgres else "sqlite",
            "seconds": args.seconds,
            "concurrency": args.concurrency,
        },
        args.json,
    )


if __name__ == "__main__":
    main()
