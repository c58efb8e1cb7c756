"""A send killed halfway (SIGKILL, no chance to tidy up) and run again sends to the rest only.

`manage.py send_newsletter` runs in its own process on the test database (on SQLite, a copy in a
file; on PostgreSQL, the test database itself). The SMTP server kills it in the middle of a
batch, before accepting the message it is sending: that message was never delivered.
"""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from gaceta.newsletters.models import NewsletterSubscription

from .conftest import Inbox, free_port

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
RECIPIENTS = 40
KILL_AT = 23


class KillingInbox(Inbox):
    def __init__(self):
        super().__init__()
        self.sender: subprocess.Popen | None = None

    async def handle_DATA(self, server, session, envelope):
        if self.sender is not None and len(self.messages) == KILL_AT - 1:
            os.kill(self.sender.pid, signal.SIGKILL)
            self.sender = None
            return "421 Shutting down"
        return await super().handle_DATA(server, session, envelope)


def database_for_subprocess(tmp_path) -> dict:
    """Environment that points a new process at this test's data."""
    if connection.vendor == "sqlite":
        copy = tmp_path / "send.sqlite3"
        target = sqlite3.connect(copy)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return {"GACETA_SQLITE_PATH": str(copy)}
    settings_dict = connection.settings_dict
    return {"DATABASE_URL": f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"}


def delivery_statuses(env) -> dict:
    if "GACETA_SQLITE_PATH" in env:
        rows = sqlite3.connect(env["GACETA_SQLITE_PATH"]).execute(
            "select status, count(*) from newsletters_delivery group by status").fetchall()
        return dict(rows)
    with connection.cursor() as cursor:
        cursor.execute("select status, count(*) from newsletters_delivery group by status")
        return dict(cursor.fetchall())


@pytest.mark.slow
def test_a_send_killed_halfway_resumes_with_those_not_yet_sent(tmp_path, daily, stories):
    NewsletterSubscription.objects.bulk_create(
        NewsletterSubscription(newsletter=daily, email=f"reader{n:02}@example.org", status="active") for n in range(RECIPIENTS)
    )
    inbox = KillingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "gaceta.settings.test", "GACETA_TASKS": "immediate",
        "GACETA_EMAIL_BACKEND": "smtp", "GACETA_EMAIL_HOST": "127.0.0.1", "GACETA_EMAIL_PORT": str(controller.port),
        "GACETA_NEWSLETTER_BATCH_SIZE": "15", "GACETA_NEWSLETTER_LEASE_SECONDS": "0",
        **database_for_subprocess(tmp_path),
    }
    command = [sys.executable, "manage.py", "send_newsletter", "daily"]
    try:
        killed = inbox.sender = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert killed.wait(timeout=120) == -signal.SIGKILL, killed.stderr.read().decode()[-3000:]
        assert len(inbox.messages) == KILL_AT - 1
        halfway = delivery_statuses(env)
        assert halfway["sent"] == KILL_AT - 1 and halfway.get("sending", 0) + halfway.get("queued", 0) == RECIPIENTS - KILL_AT + 1

        resumed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert resumed.returncode == 0, resumed.stderr
    finally:
        controller.stop()
    received = sorted(m["To"] for m in inbox.messages)
    assert received == sorted(f"reader{n:02}@example.org" for n in range(RECIPIENTS))  # each exactly once
    assert delivery_statuses(env) == {"sent": RECIPIENTS}
    assert f"recipients {RECIPIENTS}, sent {RECIPIENTS}" in resumed.stdout and "(sent)" in resumed.stdout
