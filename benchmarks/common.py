"""Shared benchmark plumbing: a fresh database, a real server, seeding and
latency statistics.

Each benchmark runs `emporia serve` (granian or gunicorn, never runserver) in a child
process on a loopback port against a fresh database — SQLite in a temporary
folder, or PostgreSQL when ``--postgres URL`` is given (a scratch database
is created and dropped) — and drives it over HTTP with httpx.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


TITLES = ROOT.parent / "shared" / "data" / "taobao-titles" / "titles.txt"


def product_titles(count: int, *, fallback: list[str]) -> list[str]:
    """``count`` product titles: the real Taobao titles of ``../shared/data``
    (repeated as needed) or, where that file is missing, generated ones built
    from ``fallback`` words."""
    if TITLES.exists():
        titles = [t.strip() for t in TITLES.read_text().splitlines() if t.strip()]
    else:
        titles = [f"{fallback[i % len(fallback)]} 商品 {i}" for i in range(count)]
    return (titles * (count // max(len(titles), 1) + 1))[:count]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_args(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument(
        "--postgres",
        metavar="URL",
        help="run against PostgreSQL (scratch database "
        "created on this server), e.g. postgres://postgres@127.0.0.1:5432/postgres",
    )
    p.add_argument("--workers", type=int, default=4, help="server worker processes")
    p.add_argument("--threads", type=int, default=4, help="Python threads per worker")
    p.add_argument(
        "--server",
        choices=("granian", "gunicorn"),
        default="granian",
        help="HTTP server behind `emporia serve` (default: granian)",
    )
    p.add_argument(
        "--json", metavar="FILE", help="also write the figures to this JSON file"
    )
    return p


@contextlib.contextmanager
def database(postgres_url: str | None):
    """Environment for a fresh, migrated database; removed afterwards."""
    env = dict(os.environ)
    env.pop("EMPORIA_DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="emporia-bench-") as tmp:
        env["EMPORIA_VAR_DIR"] = tmp
        env["EMPORIA_LOG_LEVEL"] = "ERROR"
        dbname = None
        if postgres_url:
            dbname = f"emporia_bench_{os.getpid()}"
            with psycopg.connect(postgres_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
                conn.execute(f'CREATE DATABASE "{dbname}"')
            env["EMPORIA_DATABASE_URL"] = postgres_url.rsplit("/", 1)[0] + "/" + dbname
        subprocess.run(
            [sys.executable, "-m", "emporia.cli", "migrate"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        try:
            yield env
        finally:
            if dbname:
                with psycopg.connect(postgres_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def analyze(env: dict) -> None:
    """Bring PostgreSQL's planner statistics up to date, as autovacuum keeps
    them on a running shop. A benchmark's database is minutes old: without
    this, every table is planned as "never analyzed" (10 pages of unknown
    rows), and a statement prepared on those guesses keeps its plan (a
    sequential scan of a growing table, a hash join over every SKU) until
    autovacuum's first pass, which a benchmark does not outlast. SQLite
    plans from its indexes alone: nothing to do."""
    url = env.get("EMPORIA_DATABASE_URL")
    if url:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("ANALYZE")


def seed(env: dict, script: str) -> dict:
    """Run Python ``script`` with Django set up on the bench database; it must
    print one JSON object, which is returned."""
    code = (
        "import django, os, json\nos.environ.setdefault('DJANGO_SETTINGS_MODULE',"
        "'emporia.config.settings')\ndjango.setup()\n" + script
    )
    out = subprocess.run(
        [sys.executable, "-"],  # the script on stdin: it may be megabytes of data
        input=code,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# What the last server's log said, by kind (set when it stops): a worker the
# arbiter killed for silence would show up here.
LOG_MARKERS = {
    "worker_timeouts": "WORKER TIMEOUT",
    "tracebacks": "Traceback",
    "workers_booted": "Booting worker",  # gunicorn
    "workers_spawned": "Spawning worker",  # granian
}
SERVER_LOG: dict[str, int] = {}


def _server_log():
    """Where the server's output goes: BENCH_SERVER_LOG, or a temporary file
    (a file, not a pipe: thousands of logged 409s would fill an unread pipe
    and block the server). Closed when the server stops."""
    path = os.environ.get("BENCH_SERVER_LOG")
    return open(path, "wb+") if path else tempfile.TemporaryFile()


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
SERVERS: list[int] = []  # pids of the servers started by server()


def _proc_stats() -> dict[int, tuple[int, str, float]]:
    """Every process: pid -> (parent pid, command name, CPU seconds used)."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                raw = f.read()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        # fields[1] is the parent pid; [11] utime, [12] stime in clock ticks
        cpu = (int(fields[11]) + int(fields[12])) / _TICKS
        out[int(entry)] = (
            int(fields[1]),
            cmd or raw[raw.index("(") : raw.rindex(")")],
            cpu,
        )
    return out


def cpu_snapshot() -> dict[str, float]:
    """CPU seconds used so far by this process (the load generator), the
    server's worker processes, its job scheduler, and every PostgreSQL
    process on the machine. Subtract two snapshots to charge a run."""
    procs = _proc_stats()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    tally = {"client": time.process_time(), "server": 0.0, "jobs": 0.0}
    for root in SERVERS:
        stack = list(children.get(root, []))
        while stack:
            pid = stack.pop()
            stack.extend(children.get(pid, []))
            cmd = procs[pid][1]
            kind = "jobs" if "jobs loop" in cmd else "server"
            tally[kind] += procs[pid][2]
    tally["postgres"] = sum(
        cpu
        for _, cmd, cpu in procs.values()
        if cmd.startswith(("postgres", "(postgres"))
    )
    return tally


def cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {k: round(after[k] - before[k], 2) for k in after}


@contextlib.contextmanager
def server(env: dict, *, workers: int, threads: int, kind: str = "granian"):
    port = free_port()
    env = dict(env)
    env["EMPORIA_PUBLIC_BASE_URL"] = f"http://127.0.0.1:{port}"
    log = _server_log()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "emporia.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--no-access-log",
            "--server",
            kind,
        ],
        env=env,
        stdout=log,  # granian logs its workers here
        stderr=subprocess.STDOUT,
    )
    SERVERS.append(proc.pid)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/api/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            log.seek(0)
            raise RuntimeError("server did not start: " + log.read()[-4000:].decode())
        yield url
    finally:
        SERVERS.remove(proc.pid)
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.seek(0)
        text = log.read().decode(errors="replace")
        SERVER_LOG.clear()
        SERVER_LOG.update(
            {name: text.count(marker) for name, marker in LOG_MARKERS.items()}
        )
        log.close()


@dataclass
class Latencies:
    samples: list[float] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.samples.append(seconds)

    def pct(self, p: float) -> float:
        if not self.samples:
            return float("nan")
        s = sorted(self.samples)
        return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))] * 1000

    def summary(self) -> dict:
        return {
            "n": len(self.samples),
            "p50_ms": round(self.pct(50), 1),
            "p95_ms": round(self.pct(95), 1),
            "p99_ms": round(self.pct(99), 1),
            "mean_ms": round(statistics.fmean(self.samples) * 1000, 1)
            if self.samples
            else None,
        }


async def hammer(client, urls, seconds, concurrency, headers=None) -> dict:
    """``concurrency`` clients GET random ``urls`` for ``seconds``: requests
    per second, non-200 answers, transport errors by kind, and latency."""
    lat, errors, transport = Latencies(), 0, {}
    deadline = time.perf_counter() + seconds
    rng = random.Random(1)

    async def worker():
        nonlocal errors
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                r = await client.get(rng.choice(urls), headers=headers)
            except httpx.TransportError as exc:  # counted, not fatal
                name = type(exc).__name__
                transport[name] = transport.get(name, 0) + 1
                continue
            lat.add(time.perf_counter() - t0)
            errors += r.status_code != 200

    t0 = time.perf_counter()
    await asyncio.gather(*[worker() for _ in range(concurrency)])
    wall = time.perf_counter() - t0
    return {
        "requests": len(lat.samples),
        "requests_per_s": round(len(lat.samples) / wall, 1),
        "errors": errors,
        "transport_errors": transport,
        "latency": lat.summary(),
    }


def report(name: str, figures: dict, json_path: str | None) -> None:
    print(json.dumps({"benchmark": name, **figures}, indent=2, ensure_ascii=False))
    if json_path:
        Path(json_path).write_text(json.dumps({"benchmark": name, **figures}, indent=2))
