"""The PostgreSQL session limits an operator sets reach the connection
options, a malformed one stops the start with a clear message, and "off"
sends nothing (behind PgBouncer, which refuses startup options)."""

import json
import os
import subprocess
import sys

PRINT_OPTIONS = (
    "import django, json, os; "
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'emporia.config.settings'); "
    "from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {}).get('options')))"
)


def _options(**env):
    out = subprocess.run(
        [sys.executable, "-c", PRINT_OPTIONS],
        env={
            **os.environ,
            "EMPORIA_DATABASE_URL": "postgres://emporia@db.invalid:5432/emporia",
            **env,
        },
        capture_output=True,
        text=True,
    )
    return out.returncode, out.stdout.strip(), out.stderr


def test_by_default_only_the_idle_in_transaction_limit_is_sent():
    code, out, _ = _options()
    assert code == 0
    assert json.loads(out) == "-c idle_in_transaction_session_timeout=60s"


def test_an_operator_sets_both_limits():
    code, out, _ = _options(
        EMPORIA_PG_IDLE_IN_TRANSACTION_TIMEOUT="30s",
        EMPORIA_PG_STATEMENT_TIMEOUT="15s",
    )
    assert code == 0
    assert json.loads(out) == (
        "-c idle_in_transaction_session_timeout=30s -c statement_timeout=15s"
    )


def test_off_sends_no_startup_options():
    code, out, _ = _options(EMPORIA_PG_IDLE_IN_TRANSACTION_TIMEOUT="off")
    assert code == 0
    assert json.loads(out) is None


def test_a_malformed_limit_stops_the_start_with_a_clear_message():
    code, _, err = _options(EMPORIA_PG_STATEMENT_TIMEOUT="30 s; DROP")
    assert code != 0
    assert (
        "statement_timeout: '30 s; DROP' is not a PostgreSQL duration such as 60s"
        in err
    )
