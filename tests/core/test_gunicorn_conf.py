"""deploy/gunicorn.conf.py's hook prepares, before the workers fork, what each worker's first
request would otherwise pay for."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A fresh interpreter: the test process has long imported every view.
PROBE = """
import runpy, sys
import django
django.setup()
from django.urls import get_resolver
before = "gaceta.urls" in sys.modules
runpy.run_path("deploy/gunicorn.conf.py")["when_ready"](None)
print(before, "gaceta.urls" in sys.modules, get_resolver()._populated)
"""


def test_the_url_patterns_are_imported_and_compiled_before_the_workers_fork():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gaceta.settings.dev", "GACETA_ASK_READER": "rules"}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]
