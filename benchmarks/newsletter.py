"""The Daily to 100,000 newsletter subscribers through a local SMTP sink: speed and memory.

    .venv/bin/python benchmarks/newsletter.py [--recipients 100000] [--batch 500]

Builds a fresh SQLite newsroom (benchmarks/out/newsletter.sqlite3) with the small original demo
stories and N generated newsletter subscribers on The Daily (one in ten a free member, one in
fifty a paid one, the rest addresses without an account), starts an aiosmtpd sink on loopback,
and runs `manage.py send_newsletter daily` in its own process: one SMTP connection per batch, a
delivery row per recipient. Prints recipients, seconds, messages per second and the sender's peak
RSS, checks that every address got exactly one message with its own List-Unsubscribe header, and
appends the table to benchmarks/RESULTS.md.
"""

import argparse
import datetime
import email.parser
import email.policy
import os
import platform
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
DATABASE = OUT / "newsletter.sqlite3"
HEADERS = email.parser.BytesHeaderParser(policy=email.policy.default)


class Sink:
    """Counts what it is sent; keeps only each message's recipient and unsubscribe header."""

    def __init__(self):
        self.recipients: Counter = Counter()
        self.unsubscribe_urls: set[str] = set()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        header = HEADERS.parsebytes(envelope.content.split(b"\r\n\r\n", 1)[0], headersonly=True)["List-Unsubscribe"]
        with self.lock:
            self.recipients.update(envelope.rcpt_tos)
            self.unsubscribe_urls.add(header)
        return "250 OK"


def environment(port: int, batch: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL") and not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="gaceta.settings.dev", DJANGO_DEBUG="0", GACETA_SQLITE_PATH=str(DATABASE),
        GACETA_MEDIA_ROOT=str(OUT / "media"), GACETA_LOG_LEVEL="WARNING", GACETA_TASKS="immediate",
        GACETA_EMAIL_BACKEND="smtp", GACETA_EMAIL_HOST="127.0.0.1", GACETA_EMAIL_PORT=str(port),
        GACETA_NEWSLETTER_BATCH_SIZE=str(batch),
    )
    return env


def build(recipients: int, env: dict) -> None:
    """A fresh database with the demo stories, The Daily and the generated subscribers."""
    OUT.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo_content", data=str(OUT / "no-shared-data"), stdout=open(os.devnull, "w"))
    from gaceta.members.models import ComplimentaryAccess, Member
    from gaceta.newsletters.models import Newsletter, NewsletterSubscription

    daily = Newsletter.objects.get(slug="daily")
    NewsletterSubscription.objects.filter(newsletter=daily).delete()
    chunk = 5000
    for start in range(0, recipients, chunk):
        numbers = range(start, min(start + chunk, recipients))
        members = Member.objects.bulk_create(
            Member(username=f"bench{n}", email=f"member{n}@bench.example", password="!") for n in numbers if n % 10 == 0
        )
        ComplimentaryAccess.objects.bulk_create(
            ComplimentaryAccess(member=m, note="bench") for m in members if int(m.username[5:]) % 50 == 0
        )
        by_number = {int(m.username[5:]): m for m in members}
        NewsletterSubscription.objects.bulk_create(
            NewsletterSubscription(
                newsletter=daily, status="active", member=by_number.get(n),
                email=by_number[n].email if n in by_number else f"reader{n}@bench.example",
            )
            for n in numbers
        )


def send(env: dict) -> tuple[float, int, int, float]:
    """Run the sender in its own process: seconds, exit status, its peak RSS in KiB and CPU seconds."""
    started = time.perf_counter()
    sender = subprocess.Popen([sys.executable, "manage.py", "send_newsletter", "daily"], cwd=ROOT, env=env)
    _, status, usage = os.wait4(sender.pid, 0)
    sender.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, sender.returncode, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    from aiosmtpd.controller import Controller

    sink = Sink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port, data_size_limit=0)
    controller.start()
    env = environment(port, args.batch)
    build(args.recipients, env)
    load_before = os.getloadavg()[0]
    seconds, status, peak_kib, cpu = send(env)
    controller.stop()
    delivered = sum(sink.recipients.values())
    twice = sum(1 for count in sink.recipients.values() if count > 1)
    assert status == 0, f"the sender exited with {status}"
    assert delivered == args.recipients and twice == 0, (delivered, twice)
    assert len(sink.unsubscribe_urls) == args.recipients, "every message has its own List-Unsubscribe"
    rows = [(f"{args.recipients:,}", f"{args.batch}", f"{seconds:.0f}", f"{delivered / seconds:.0f}",
             f"{cpu:.0f}", f"{delivered / cpu:.0f}", f"{peak_kib / 1024:.0f}", f"{twice}", f"{load_before:.1f}")]
    header = ("| recipients | batch | seconds | msgs/s | sender CPU s | msgs per CPU s | sender peak RSS MB | sent twice | load before |\n"
              "|---|---|---|---|---|---|---|---|---|\n")
    table = header + "".join("| " + " | ".join(row) + " |\n" for row in rows)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = (
        f"\n### Newsletter send, SQLite — {stamp}\n\n"
        f"Machine: {platform.node()}, {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, Linux {platform.release()}. `manage.py send_newsletter daily` in its own "
        f"process to an aiosmtpd sink on loopback (same machine, in the benchmark's process); one SMTP "
        f"connection per batch; a delivery row per recipient, marked sent after each message.\n\n{table}"
    )
    print(report)
    with (ROOT / "benchmarks" / "RESULTS.md").open("a") as handle:
        handle.write(report)


if __name__ == "__main__":
    main()
