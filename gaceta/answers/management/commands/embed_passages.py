import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from gaceta.answers.vectors import embed_passages, missing_passages


class Command(BaseCommand):
    help = (
        "Compute the sentence vectors Ask's reader uses for every passage that has none (an "
        "archive indexed before them, or after an upgrade), with a progress bar. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, quiet=False, **options):
        started = time.monotonic()
        with tqdm(total=missing_passages().count(), unit="passage", disable=quiet, file=self.stderr) as bar:
            stored = embed_passages(progress=bar.update)
        took = time.monotonic() - started
        self.stdout.write(f"Stored the sentence vectors of {stored} passages in {took:.1f}s.")
