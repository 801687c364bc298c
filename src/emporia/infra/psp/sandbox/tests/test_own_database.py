"""The sandbox gateway keeps its books in a database of its own, as a real
provider does: none of its rows in the platform's database, none of the
platform's in its own, and ``emporia migrate`` sets up both."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections

from emporia.infra.psp.sandbox.models import SandboxCallback, SandboxCharge
from emporia.infra.psp.sandbox.routers import DATABASE
from emporia.infra.testing import cli


def tables(alias: str) -> set[str]:
    with connections[alias].cursor() as cursor:
        return set(connections[alias].introspection.table_names(cursor))


@pytest.mark.django_db
def test_a_paid_order_leaves_the_gateways_rows_in_its_own_database(paid_order):
    order = paid_order("19.90")
    payment = order.payments.get()
    charge = SandboxCharge.objects.using(DATABASE).get(merchant_ref=payment.reference)
    assert charge.status == SandboxCharge.Status.SUCCEEDED
    assert SandboxCallback.objects.using(DATABASE).filter(charge=charge).count() == 1
    assert SandboxCharge.objects.db == DATABASE  # the router sends it there

    platform, gateway = tables("default"), tables(DATABASE)
    assert not {t for t in platform if t.startswith("sandbox_psp_")}
    assert {"sandbox_psp_sandboxcharge", "sandbox_psp_sandboxcallback"} <= gateway
    assert not {"orders_order", "payments_payment", "ledger_posting"} & gateway


PRINT_DATABASES = (
    "import django, json, os; "
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'emporia.config.settings'); "
    "from django.conf import settings; "
    "print(json.dumps({a: [d['ENGINE'], str(d['NAME'])] "
    "for a, d in settings.DATABASES.items()}))"
)


def _databases(tmp_path, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("EMPORIA_DATABASE_URL", "EMPORIA_SANDBOX_DATABASE_URL")
    }
    out = subprocess.run(
        [sys.executable, "-c", PRINT_DATABASES],
        env={**base, "EMPORIA_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
    )
    return out.returncode, out.stdout.strip(), out.stderr


def test_by_default_the_gateway_has_a_sqlite_file_beside_the_platforms(tmp_path):
    code, out, err = _databases(tmp_path)
    assert code == 0, err
    assert json.loads(out)["sandbox"] == [
        "emporia.infra.sqlite",
        str(tmp_path / "sandbox.sqlite3"),
    ]


def test_servers_on_several_hosts_share_a_gateway_database_by_url(tmp_path):
    code, out, err = _databases(
        tmp_path,
        EMPORIA_DATABASE_URL="postgres://emporia@db.invalid:5432/emporia",
        EMPORIA_SANDBOX_DATABASE_URL="postgres://emporia@db.invalid:5432/sandbox",
    )
    assert code == 0, err
    found = json.loads(out)
    assert found["default"] == ["emporia.infra.postgresql", "emporia"]
    assert found["sandbox"] == ["emporia.infra.postgresql", "sandbox"]


def test_the_platforms_own_database_is_refused_for_the_gateway(tmp_path):
    url = "postgres://emporia@db.invalid:5432/emporia"
    code, _, err = _databases(
        tmp_path, EMPORIA_DATABASE_URL=url, EMPORIA_SANDBOX_DATABASE_URL=url
    )
    assert code != 0
    assert "names the platform's own database" in err


def test_migrate_sets_up_both_databases_and_only_their_own_tables(tmp_path):
    env = cli.embedded_env(tmp_path)

    def migrate() -> str:
        done = cli.run(env, "migrate")
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def names(path: Path) -> set[str]:
        with sqlite3.connect(path) as db:
            rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            return {name for (name,) in rows}

    assert "Applied" in migrate()
    platform, gateway = (
        names(tmp_path / "emporia.sqlite3"),
        names(tmp_path / "sandbox.sqlite3"),
    )
    assert "orders_order" in platform
    assert not {t for t in platform if t.startswith("sandbox_psp_")}
    assert gateway - {"django_migrations", "sqlite_sequence"} == {
        "sandbox_psp_sandboxcharge",
        "sandbox_psp_sandboxcallback",
        "sandbox_psp_sandboxrefund",
    }
    assert "up to date" in migrate()

    # a gateway database lost or new (a fresh file, another URL) is set up again
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"sandbox.sqlite3{suffix}").unlink(missing_ok=True)
    assert "Applied" in migrate()
    assert "sandbox_psp_sandboxcharge" in names(tmp_path / "sandbox.sqlite3")
