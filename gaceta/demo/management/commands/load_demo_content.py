import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from gaceta.demo.loader import load_demo_content


class Command(BaseCommand):
    help = (
        "Load the demo newsroom: the seed page's stories and the Wikinews archive from the shared "
        "data folder (GACETA_DEMO_DATA), or a small set of original stories when it is missing. "
        "Safe to run again: only what is missing is added."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", default=settings.GACETA_DEMO_DATA, help="The shared data folder.")
        parser.add_argument("--limit", type=int, help="Load at most this many archive articles.")

    def handle(self, *args, data, limit, **options):
        started = time.monotonic()
        report = load_demo_content(Path(data), limit=limit)
        added = ", ".join(f"{number} {what}" for what, number in report.added.items() if number)
        self.stdout.write(f"Demo newsroom ready in {time.monotonic() - started:.1f}s; added: {added or 'nothing new'}.")
        for email, password, tier in report.new_members:
            self.stdout.write(f"Demo account ({tier}): {email}, password {password} (shown once; or sign in with a code, which this terminal prints)")
        if report.new_members:
            self.stdout.write("Newsroom staff sign in at /accounts/login/, then open /admin/.")
        if not report.full_archive:
            self.stdout.write(
                f"No demo archive at {data}: serving a small set of original stories. To load the "
                "full archive, set GACETA_DEMO_DATA to a folder holding seeds/ and corpus/ and run "
                "`make run` again."
            )
