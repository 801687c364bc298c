"""The ``emporia`` command: serve, migrate, createadmin, jobs, demo, check.

``main()`` sets ``DJANGO_SETTINGS_MODULE`` (default ``emporia.config.settings``)
and calls ``django.setup()`` before any command runs. Modules that define
models can only be imported after that, so the few commands that need them
import them inside the command — the app registry, not a cycle, decides this.
"""

from __future__ import annotations

import enum
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Annotated

import django
import typer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from emporia.infra.jobs.registry import jobs as job_registry

app = typer.Typer(
    name="emporia",
    help="Emporia — one e-commerce platform for every operating model.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
jobs_app = typer.Typer(
    help="Background jobs: list them, run one or all once, or run the scheduler.",
    no_args_is_help=True,
)
app.add_typer(jobs_app, name="jobs")
console = Console()

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def _pending_migrations() -> dict[str, list]:
    """Migrations not yet applied, by database (the platform's, and the
    sandbox gateway's own: see the settings' DATABASES)."""
    pending = {}
    for alias in connections:
        executor = MigrationExecutor(connections[alias])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            pending[alias] = plan
    return pending


class _MigrationProgress:
    """A stdout for ``migrate`` that turns "Applying x... OK" into a bar."""

    def __init__(self, progress: Progress, task):
        self.progress, self.task = progress, task

    def write(self, text: str) -> None:
        if "Applying " in text:
            name = text.split("Applying ", 1)[1].rstrip(". \n")
            self.progress.update(self.task, description=f"Applying {name}")
        if text.strip().startswith("OK"):
            self.progress.advance(self.task)

    def flush(self) -> None:
        pass


# -- migrate --------------------------------------------------------------------
@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (applies every pending migration)."""
    pending = _pending_migrations()
    if not pending:
        console.print("The database is up to date.")
        return
    total = sum(len(plan) for plan in pending.values())
    with _progress() as progress:
        task = progress.add_task("Migrating", total=total)
        for alias in pending:
            call_command(
                "migrate",
                database=alias,
                interactive=False,
                verbosity=1,
                stdout=_MigrationProgress(progress, task),
            )
        progress.update(task, completed=total, description="Migrated")
    console.print(f"[green]Applied {total} migrations.[/green]")


# -- serve ----------------------------------------------------------------------
def _collectstatic() -> None:
    with console.status(f"Collecting static files into {settings.STATIC_ROOT} …"):
        call_command("collectstatic", interactive=False, verbosity=0)


def _supervise(children: dict[str, subprocess.Popen]) -> int:
    """Wait until a stop signal or a child exits; then stop every child."""
    stopping = threading.Event()
    previous = {s: signal.signal(s, lambda *_: stopping.set()) for s in STOP_SIGNALS}
    code = 0
    try:
        while not stopping.is_set():
            exited = {
                n: p.returncode for n, p in children.items() if p.poll() is not None
            }
            if exited:
                name, code = next(iter(exited.items()))
                console.print(f"[red]{name} exited with status {code}; stopping.[/red]")
                code = code or 1
                break
            stopping.wait(0.2)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for child in children.values():
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return code


class HttpServer(enum.StrEnum):
    granian = "granian"
    gunicorn = "gunicorn"


def _granian_argv(*, host, port, workers, threads, access_log, backlog) -> list[str]:
    """Granian: the HTTP/1.1 protocol in Rust, our WSGI application on
    ``threads`` Python threads per worker process (ADR 0008)."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "emporia.config.wsgi:application",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--runtime-threads",
        "1",
        "--no-ws",
        "--backlog",
        str(backlog),
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        "10",
        "--access-log" if access_log else "--no-access-log",
    ]


def _gunicorn_argv(
    *, host, port, workers, threads, access_log, backlog, keep_alive, timeout
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "emporia.config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--graceful-timeout",
        "10",
        "--keep-alive",
        str(keep_alive),
        "--timeout",
        str(timeout),
        "--backlog",
        str(backlog),
        *(["--access-logfile", "-"] if access_log else []),
        # One shared default socket path would make two servers on a
        # machine (tests, several checkouts) fight over it.
        "--no-control-socket",
    ]


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 2,
    threads: Annotated[
        int,
        typer.Option(min=1, max=64, help="Python threads per worker process."),
    ] = 4,
    server: Annotated[
        HttpServer,
        typer.Option(
            help="HTTP server: granian (default; HTTP in Rust, ~0.13 ms less "
            "CPU per request, see docs/adr/0008) or gunicorn (gthread "
            "workers, with a worker timeout).",
        ),
    ] = HttpServer.granian,
    access_log: Annotated[
        bool, typer.Option(help="Log every request to standard output.")
    ] = True,
    keep_alive: Annotated[
        int,
        typer.Option(
            min=1,
            max=3600,
            help="gunicorn only: seconds an idle keep-alive connection stays "
            "open. Keep it longer than clients keep idle connections (httpx: "
            "5 s), so the client closes first (see docs/operators.md).",
        ),
    ] = 20,
    timeout: Annotated[
        int,
        typer.Option(
            min=1,
            max=3600,
            help="gunicorn only: seconds a silent worker lives before gunicorn "
            "restarts it.",
        ),
    ] = 60,
    backlog: Annotated[
        int, typer.Option(min=64, max=65535, help="Listen queue length.")
    ] = 2048,
) -> None:
    """Serve Emporia with granian or gunicorn (never runserver).

    Checks that the database is migrated, collects static files into
    var/static, starts the HTTP server on emporia.config.wsgi and — when no
    broker is configured (EMPORIA["INPROCESS_JOBS"]) — the job scheduler in a
    child process (`emporia jobs loop`). Ctrl-C or SIGTERM stops both cleanly.
    """
    pending = _pending_migrations()
    if pending:
        count = sum(len(plan) for plan in pending.values())
        console.print(
            f"[red]{count} migrations are not applied.[/red] "
            "Run [bold]emporia migrate[/bold] first."
        )
        raise typer.Exit(1)
    _collectstatic()
    common = dict(
        host=host,
        port=port,
        workers=workers,
        threads=threads,
        access_log=access_log,
        backlog=backlog,
    )
    argv = (
        _granian_argv(**common)
        if server is HttpServer.granian
        else _gunicorn_argv(**common, keep_alive=keep_alive, timeout=timeout)
    )
    children = {server.value: subprocess.Popen(argv)}  # noqa: S603  (fixed argv)
    if settings.EMPORIA.get("INPROCESS_JOBS"):
        children["job scheduler"] = subprocess.Popen(
            [sys.executable, "-m", "emporia.cli", "jobs", "loop"]
        )
    console.print(
        f"Emporia is serving on [bold]http://{host}:{port}/[/bold] "
        f"({server.value}: {workers} workers × {threads} threads; jobs "
        f"{'in-process' if 'job scheduler' in children else 'on Celery'}). "
        "Ctrl-C stops."
    )
    code = _supervise(children)
    console.print("Stopped.")
    raise typer.Exit(code)


# -- accounts -------------------------------------------------------------------
@app.command()
def createadmin(
    email: Annotated[str, typer.Option(help="The operator's login email.")],
    password: Annotated[
        str | None,
        typer.Option(help="Their password; asked for (hidden) when left out."),
    ] = None,
    name: Annotated[str, typer.Option(help="Display name.")] = "Operator",
) -> None:
    """Create a platform operator (can log in to the console and /admin/)."""
    User = get_user_model()
    if User.objects.filter(email__iexact=email).exists():
        console.print(f"[red]A user with the email {email} already exists.[/red]")
        raise typer.Exit(1)
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        validate_password(password)
    except ValidationError as exc:
        for message in exc.messages:
            console.print(f"[red]{message}[/red]")
        raise typer.Exit(1) from exc
    User.objects.create_superuser(email, password, display_name=name)
    console.print(f"[green]Operator {email} created.[/green]")


# -- jobs -----------------------------------------------------------------------
@jobs_app.command("list")
def jobs_list() -> None:
    """Show every registered job and how often it runs."""
    table = Table("Job", "Every", "What it does")
    for spec in job_registry:
        table.add_row(spec.name, f"{spec.every_seconds:g} s", spec.doc)
    console.print(table)


@jobs_app.command("run")
def jobs_run(name: Annotated[str, typer.Argument(help="The job's name.")]) -> None:
    """Run one job once now and log the run."""
    from emporia.infra.jobs.services import run_job  # needs the app registry

    try:
        processed = run_job(name, runner="cli")
    except LookupError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"{name}: processed {processed}")


@jobs_app.command("run-all")
def jobs_run_all() -> None:
    """Run every job once, in registry order, and log the runs."""
    from emporia.infra.jobs.services import run_job  # needs the app registry

    results = {}
    with _progress() as progress:
        task = progress.add_task("Running jobs", total=len(job_registry))
        for spec in job_registry:
            progress.update(task, description=spec.name)
            results[spec.name] = run_job(spec.name, runner="cli")
            progress.advance(task)
        progress.update(task, description="All jobs ran")
    table = Table("Job", "Processed")
    for job_name, processed in results.items():
        table.add_row(job_name, str(processed))
    console.print(table)


@jobs_app.command("loop")
def jobs_loop(
    tick: Annotated[
        float, typer.Option(min=0.1, help="Seconds between scheduler checks.")
    ] = 1.0,
) -> None:
    """Run the in-process job scheduler until SIGINT or SIGTERM."""
    from emporia.infra.jobs.services import Scheduler  # needs the app registry

    stopping = threading.Event()
    for sig in STOP_SIGNALS:
        signal.signal(sig, lambda *_: stopping.set())
    scheduler = Scheduler(tick=tick)
    scheduler.start()
    console.print(f"Job scheduler running {len(job_registry)} jobs.")
    while not stopping.is_set() and scheduler.is_alive():
        stopping.wait(0.5)
    scheduler.stop()
    scheduler.join(timeout=30)
    console.print("Job scheduler stopped.")


# -- demo and checks -------------------------------------------------------------
@app.command("demo")
def demo_command(
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing if the database has users.")
    ] = False,
) -> None:
    """Load demonstration data: shops, products, buyers and orders in every state.

    Logins: admin@emporia.test / emporia-admin (operator), seller@emporia.test
    and buyer@emporia.test / emporia-demo.
    """
    from emporia.demo import seed  # needs the app registry

    with _progress() as progress:
        task = progress.add_task("Loading the demo", total=None)

        def report(description: str, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)
            if description:
                progress.update(task, description=description)

        summary = seed(if_empty=if_empty, progress=report)
        if summary.get("skipped"):
            progress.update(task, description="Nothing to load", total=1, completed=1)
        else:
            progress.update(task, description="Demo loaded")
    if summary.get("skipped"):
        console.print(f"Demo skipped: {summary.get('reason', 'nothing to do')}.")
    else:
        table = Table("Created", "Count")
        for kind, count in summary.get("created", {}).items():
            table.add_row(kind, str(count))
        statuses = Table("Order status", "Orders")
        for status, count in summary.get("orders_by_status", {}).items():
            statuses.add_row(status.replace("_", " "), str(count))
        console.print(table, statuses)
        if "seconds" in summary:
            console.print(f"Loaded in {summary['seconds']:g} s.")
    for login in summary.get("logins", []):
        console.print(
            f"  log in as [bold]{login['email']}[/bold] / {login['password']} "
            f"({login['role']})"
        )


@app.command()
def check(
    deploy: Annotated[
        bool, typer.Option("--deploy", help="Also run the production checks.")
    ] = False,
) -> None:
    """Run Django's system checks."""
    try:
        call_command("check", deploy=deploy)
    except SystemCheckError as exc:
        console.print(str(exc))
        raise typer.Exit(1) from exc


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``emporia`` script."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emporia.config.settings")
    django.setup()
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    app(args=argv, prog_name="emporia")


if __name__ == "__main__":
    main()
