"""Instructions per paid order, counted by valgrind: a CPU figure the
neighbours cannot move.

    .venv/bin/python benchmarks/instructions.py
    .venv/bin/python benchmarks/instructions.py --src /tmp/before/src   # another checkout
    .venv/bin/python benchmarks/instructions.py --postgres postgres://postgres@127.0.0.1:5432/postgres

On this shared two-core machine the CPU time of the same request moves by
±30 % from one run to the next with what the neighbours do, so a change
worth 5 % cannot be seen in milliseconds. The number of instructions the
server executes can: this runs ``cpu_cost.py --paid-only`` (add to cart,
place, pay with the gateway's callback in process, and the relay of the
order's events) under ``valgrind --tool=cachegrind --cache-sim=no`` twice,
with ``--low`` and ``--high`` rounds, and divides the difference by the
difference in rounds — start-up, migrations and seeding cancel out. Python's
hash seed is fixed. On PostgreSQL only the Python process is counted, not the
database server's. Each run takes a minute or two (valgrind runs Python
~50 times slower). Needs valgrind (``apt-get install valgrind``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from common import base_args, report

HERE = Path(__file__).resolve().parent


def instructions(rounds: int, src: str | None, postgres: str | None) -> int:
    env = dict(os.environ, PYTHONHASHSEED="0")
    if src:
        env["PYTHONPATH"] = src
    cmd = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        str(HERE / "cpu_cost.py"),
        "--paid-only",
        "--history",  # a history changes plans, not the Python run per order
        "0",
        "--rounds",
        str(rounds),
        *(["--postgres", postgres] if postgres else []),
    ]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if not found:
        raise RuntimeError(
            "valgrind printed no instruction count:\n" + out.stderr[-2000:]
        )
    return int(found.group(1).replace(",", ""))


def main():
    p = base_args(__doc__.splitlines()[0])
    p.add_argument("--low", type=int, default=10, help="rounds in the first run")
    p.add_argument("--high", type=int, default=60, help="rounds in the second run")
    p.add_argument(
        "--src", help="PYTHONPATH for the code measured (default: this checkout)"
    )
    args = p.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed: apt-get install valgrind")
    low = instructions(args.low, args.src, args.postgres)
    high = instructions(args.high, args.src, args.postgres)
    per_order = (high - low) / (args.high - args.low)
    report(
        "instructions",
        {
            "instructions_per_paid_order_millions": round(per_order / 1e6, 2),
            "low": {"rounds": args.low, "instructions": low},
            "high": {"rounds": args.high, "instructions": high},
            "src": args.src or "this checkout",
            "database": "postgresql" if args.postgres else "sqlite",
        },
        args.json,
    )


if __name__ == "__main__":
    main()
