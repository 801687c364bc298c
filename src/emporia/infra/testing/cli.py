"""Running the ``emporia`` command as an operator would, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import emporia

SRC = Path(emporia.__file__).resolve().parent.parent
EMPORIA = [sys.executable, "-m", "emporia.cli"]


def embedded_env(var_dir: Path) -> dict[str, str]:
    """The environment of a fresh embedded install in ``var_dir``: SQLite
    files there (the platform's and the sandbox gateway's), no PostgreSQL
    nor broker whatever the test run uses, production settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "EMPORIA_DATABASE_URL",
            "EMPORIA_SANDBOX_DATABASE_URL",
            "EMPORIA_BROKER_URL",
        )
    }
    env.update(
        DJANGO_SETTINGS_MODULE="emporia.config.settings",
        EMPORIA_VAR_DIR=str(var_dir),
        PYTHONPATH=os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p),
    )
    return env


def run(env: dict[str, str], *args: str, timeout: float = 180):
    """``emporia *args``; the finished process (output captured as text)."""
    return subprocess.run(  # noqa: S603  (our own command, fixed arguments)
        [*EMPORIA, *args], env=env, capture_output=True, text=True, timeout=timeout
    )
