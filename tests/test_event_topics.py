"""Every process knows every event topic, not only the web workers.

The job scheduler (`emporia jobs loop`) only runs ``django.setup()``; if an
app's events module is imported only by views, the outbox relay there cannot
load that app's stored events and stops at the first one.
"""

import json
import os
import subprocess
import sys

SCRIPT = """
import importlib, json, os, pkgutil, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emporia.config.settings_test")
django.setup()
import emporia
from emporia.kernel import events
after_setup = events.topics()
for module in pkgutil.walk_packages(emporia.__path__, "emporia."):
    last = module.name.rsplit(".", 1)[-1]
    in_events = ".events." in module.name or last == "events" or last.endswith("_events")
    if in_events and ".tests" not in module.name:
        importlib.import_module(module.name)
print(json.dumps([after_setup, events.topics()]))
"""


def test_django_setup_alone_registers_every_event_topic(tmp_path):
    # given a fresh interpreter that only sets Django up, as the job scheduler does
    env = {**os.environ, "EMPORIA_VAR_DIR": str(tmp_path)}
    # when it lists the registered topics, then imports every events module
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    after_setup, every_topic = json.loads(out.stdout.strip().splitlines()[-1])
    # then setting Django up had registered them all already
    assert "payments.payment_succeeded" in every_topic
    assert after_setup == every_topic
