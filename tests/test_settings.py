"""Production settings, checked the way a sysadmin would: in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "gaceta.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-secret-key-for-the-test-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",  # named, not reached: no command here uses the cache
    "GACETA_BASE_URL": "https://news.example.org",
}
OWN_VARIABLES = ("DJANGO_", "REDIS_URL", "GACETA_ALLOW_LOCAL_CACHE", "GACETA_TRUSTED_PROXIES")


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(OWN_VARIABLES)}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_its_public_address():
    result = manage("check", **{**PRODUCTION, "GACETA_BASE_URL": ""})
    assert result.returncode != 0 and "GACETA_BASE_URL" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = dict(PRODUCTION)
    del env["DJANGO_ALLOWED_HOSTS"]
    result = manage("check", **env)
    assert result.returncode != 0 and "DJANGO_ALLOWED_HOSTS" in result.stderr


@pytest.mark.slow
def test_production_refuses_to_start_without_a_shared_cache():
    env = dict(PRODUCTION)
    del env["REDIS_URL"]
    result = manage("check", **env)
    assert result.returncode != 0 and "REDIS_URL" in result.stderr and "GACETA_ALLOW_LOCAL_CACHE" in result.stderr
    result = manage("check", "--deploy", "--fail-level", "WARNING", GACETA_ALLOW_LOCAL_CACHE="1", **env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_trusted_proxies_set_the_count_allauth_reads():
    show = "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    result = manage("shell", "-c", show, GACETA_TRUSTED_PROXIES="2", **PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "2", result.stderr


@pytest.mark.slow
def test_production_passes_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_production_logs_one_json_object_per_line():
    result = manage("shell", "-c", "import logging; logging.getLogger('gaceta.test').warning('member %s signed in', 42)", **PRODUCTION)
    import json

    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert line["level"] == "WARNING" and line["logger"] == "gaceta.test" and line["message"] == "member 42 signed in"


@pytest.mark.slow
def test_gaceta_email_backend_chooses_the_provider_in_every_settings_module():
    show = "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS)"
    production = manage("shell", "-c", show, **PRODUCTION, GACETA_EMAIL_BACKEND="anymail:postmark")
    assert production.stdout.strip().splitlines()[-1].split()[0] == "anymail.backends.postmark.EmailBackend", production.stderr
    smtp = manage("shell", "-c", show, **PRODUCTION, GACETA_EMAIL_HOST="mail.example.org", GACETA_EMAIL_PORT="587", GACETA_EMAIL_TLS="1")
    assert smtp.stdout.strip().splitlines()[-1].split() == ["django.core.mail.backends.smtp.EmailBackend", "mail.example.org", "587", "True"]
    dev = manage("shell", "-c", show, DJANGO_SETTINGS_MODULE="gaceta.settings.dev")
    assert dev.stdout.strip().splitlines()[-1].split()[0] == "django.core.mail.backends.console.EmailBackend"
    dev_smtp = manage("shell", "-c", show, DJANGO_SETTINGS_MODULE="gaceta.settings.dev", GACETA_EMAIL_BACKEND="smtp")
    assert dev_smtp.stdout.strip().splitlines()[-1].split()[0] == "django.core.mail.backends.smtp.EmailBackend"
