"""Alternate a benchmark between two versions of the code, on a noisy machine.

    .venv/bin/python benchmarks/compare.py --before b79a1a4 --runs 3 -- \\
        checkout.py --buyers 50 --orders 2000 --workers 3 --threads 8 --rate 100

On this shared two-core machine the same code measures 10–15 ms of server
CPU per paid order from one minute to the next: a "before" run in a quiet
minute beats an "after" run in a busy one. Comparing two versions therefore
means alternating them, several times, and reading the pairs. This does it:
it checks out ``--before`` (and ``--after``, default: this working tree) in
temporary git worktrees, runs the benchmark script *from this checkout*
with ``PYTHONPATH`` at each version's ``src`` — after, before, after,
before… — and prints each run's headline figures and the medians. Each
run's JSON is kept under ``benchmarks/results/compare/<label>-<n>.json``
(not committed; copy a run worth keeping next to the others).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "compare"  # scratch: ignored by git

# (label, path into the benchmark's JSON); missing ones are left blank
FIGURES = (
    ("orders/s", ("paid_orders_per_s",)),
    ("paid p50 ms", ("latency", "p50_ms")),
    ("paid p95 ms", ("latency", "p95_ms")),
    ("request p95 ms", ("request_latency", "p95_ms")),
    ("server CPU ms/order", ("cpu_ms_per_paid_order", "server")),
    ("lock held ms/order", ("write_lock", "held_ms_per_paid_order")),
    ("CPU ms/paid order", ("paid_order_cpu_ms",)),
    ("M instructions/order", ("instructions_per_paid_order_millions",)),
)


def pick(data: dict, path: tuple[str, ...]):
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def worktree(rev: str, into: Path) -> Path:
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(into), rev],
        check=True,
        capture_output=True,
    )
    return into


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--before", required=True, help="git revision of the baseline")
    p.add_argument(
        "--after", help="git revision to compare (default: this working tree)"
    )
    p.add_argument("--runs", type=int, default=3, help="runs of each version")
    p.add_argument("script", help="benchmark script in benchmarks/, e.g. checkout.py")
    p.add_argument("args", nargs=argparse.REMAINDER, help="the script's arguments")
    a = p.parse_args()
    args = [x for x in a.args if x != "--"]
    made: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="emporia-compare-") as tmp:
        try:
            versions = {"after": ROOT / "src", "before": None}
            if a.after:
                made.append(worktree(a.after, Path(tmp) / "after"))
                versions["after"] = made[-1] / "src"
            made.append(worktree(a.before, Path(tmp) / "before"))
            versions["before"] = made[-1] / "src"
            RESULTS.mkdir(parents=True, exist_ok=True)
            results: dict[str, list[dict]] = {"after": [], "before": []}
            console = Console()
            for n in range(1, a.runs + 1):
                for label, src in versions.items():
                    out = RESULTS / f"{label}-{n}.json"
                    console.print(f"[bold]{label}[/bold] run {n}/{a.runs} …")
                    subprocess.run(
                        [
                            sys.executable,
                            str(HERE / a.script),
                            *args,
                            "--json",
                            str(out),
                        ],
                        env={**os.environ, "PYTHONPATH": str(src)},
                        check=True,
                        stdout=subprocess.DEVNULL,
                    )
                    results[label].append(json.loads(out.read_text()))
            show(console, results, a)
        finally:
            for path in made:
                subprocess.run(
                    [
                        "git",
                        "-C",
                        str(ROOT),
                        "worktree",
                        "remove",
                        "--force",
                        str(path),
                    ],
                    capture_output=True,
                )


def show(console: Console, results: dict[str, list[dict]], a) -> None:
    figures = [
        (name, path)
        for name, path in FIGURES
        if any(pick(r, path) is not None for rs in results.values() for r in rs)
    ]
    table = Table(title=f"{a.script}: after vs before ({a.before}), alternated")
    table.add_column("run")
    for name, _ in figures:
        table.add_column(name, justify="right")
    for n in range(a.runs):
        for label in ("after", "before"):
            r = results[label][n]
            table.add_row(f"{label} {n + 1}", *(_fmt(pick(r, p)) for _, p in figures))
    for label in ("after", "before"):
        row = []
        for _, path in figures:
            xs = [pick(r, path) for r in results[label] if pick(r, path) is not None]
            row.append(_fmt(statistics.median(xs)) if xs else "")
        table.add_row(f"[bold]{label} median[/bold]", *row)
    console.print(table)


def _fmt(x) -> str:
    return "" if x is None else f"{x:,.1f}" if isinstance(x, float) else str(x)


if __name__ == "__main__":
    main()
