"""The `emporia` command line."""

import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from django.contrib.auth import get_user_model
from typer.testing import CliRunner

from emporia.cli import app
from emporia.infra.jobs.models import JobRun
from emporia.infra.testing import cli

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["serve"],
        ["migrate"],
        ["createadmin"],
        ["jobs"],
        ["jobs", "list"],
        ["jobs", "run"],
        ["jobs", "run-all"],
        ["jobs", "loop"],
        ["demo"],
        ["check"],
    ],
)
def test_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])

    assert result.exit_code == 0, result.output
    assert "Usage: emporia" in result.output


def test_serve_help_names_its_options():
    result = runner.invoke(app, ["serve", "--help"])

    for option in ("--host", "--port", "--workers", "--server", "granian", "gunicorn"):
        assert option in result.output


def test_jobs_list_shows_the_registered_jobs():
    result = runner.invoke(app, ["jobs", "list"])

    assert result.exit_code == 0, result.output
    for name in ("outbox.relay", "webhooks.deliver", "sandbox_psp.deliver_callbacks"):
        assert name in result.output


@pytest.mark.django_db
def test_jobs_run_runs_one_job_and_logs_it():
    result = runner.invoke(app, ["jobs", "run", "outbox.relay"])

    assert result.exit_code == 0, result.output
    assert "outbox.relay: processed 0" in result.output
    assert list(JobRun.objects.values_list("name", "runner")) == [
        ("outbox.relay", "cli")
    ]


@pytest.mark.django_db
def test_jobs_run_of_an_unknown_job_fails_and_logs_nothing():
    result = runner.invoke(app, ["jobs", "run", "no.such.job"])

    assert result.exit_code == 2
    assert "No job named 'no.such.job'" in result.output
    assert JobRun.objects.count() == 0


@pytest.mark.django_db
def test_createadmin_creates_an_operator():
    result = runner.invoke(
        app, ["createadmin", "--email", "ops@example.com", "--password", "s3cret-Pass!"]
    )

    assert result.exit_code == 0, result.output
    user = get_user_model().objects.get(email="ops@example.com")
    assert user.is_staff
    assert user.is_superuser
    assert user.is_operator
    assert user.check_password("s3cret-Pass!")


@pytest.mark.django_db
def test_createadmin_prompts_for_a_missing_password():
    result = runner.invoke(
        app,
        ["createadmin", "--email", "ops@example.com"],
        input="s3cret-Pass!\ns3cret-Pass!\n",
    )

    assert result.exit_code == 0, result.output
    assert (
        get_user_model()
        .objects.get(email="ops@example.com")
        .check_password("s3cret-Pass!")
    )


@pytest.mark.django_db
def test_createadmin_refuses_a_taken_email_or_a_weak_password(user_factory):
    user_factory(email="taken@example.com")

    taken = runner.invoke(
        app,
        ["createadmin", "--email", "taken@example.com", "--password", "s3cret-Pass!"],
    )
    weak = runner.invoke(
        app, ["createadmin", "--email", "new@example.com", "--password", "x"]
    )

    assert taken.exit_code == 1
    assert "already exists" in taken.output
    assert weak.exit_code == 1
    assert not get_user_model().objects.filter(is_staff=True).exists()
    assert not get_user_model().objects.filter(email="new@example.com").exists()


@pytest.mark.django_db
def test_demo_seeds_once_and_prints_the_logins():
    first = runner.invoke(app, ["demo", "--if-empty"])
    users = get_user_model().objects.count()
    again = runner.invoke(app, ["demo", "--if-empty"])

    assert first.exit_code == 0, first.output
    for login in ("admin@emporia.test", "seller@emporia.test", "buyer@emporia.test"):
        assert login in first.output
    assert again.exit_code == 0
    assert "skipped" in again.output
    admin = get_user_model().objects.get(email="admin@emporia.test")
    assert admin.is_operator
    assert admin.check_password("emporia-admin")
    assert get_user_model().objects.count() == users


def test_check_runs_the_system_checks():
    result = runner.invoke(app, ["check"])

    assert result.exit_code == 0, result.output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("server", "stopped"),
    [("granian", "Granian shutdown completed"), ("gunicorn", "Shutting down: Master")],
)
def test_serve_answers_http_and_stops_on_sigterm(tmp_path, server, stopped):
    env = cli.embedded_env(tmp_path / "var")
    emporia = cli.EMPORIA
    migrated = cli.run(env, "migrate")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    port = free_port()
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [*emporia, "serve", "--port", str(port), "--workers", "1", "--server", server],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        status = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status = httpx.get(
                    f"http://127.0.0.1:{port}/api/openapi.json", timeout=2
                ).status_code
                break
            except httpx.HTTPError:
                time.sleep(0.25)
        assert status == 200, Path(log.name).read_text()
        assert (tmp_path / "var" / "static" / "admin").is_dir()

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    output = Path(log.name).read_text()
    assert "Job scheduler running" in output
    assert "Job scheduler stopped." in output
    assert stopped in output
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/api/openapi.json", timeout=2)
