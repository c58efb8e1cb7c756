import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from gaceta.answers import vectors
from gaceta.answers.models import SentenceVectors


class Command(BaseCommand):
    help = (
        "Compute the sentence vectors Ask's reader uses for every passage that has none (an "
        "archive indexed before them), with a progress bar. Safe to run again. --rebuild computes "
        "all of them again (after upgrading syntok or wordllama)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")
        parser.add_argument("--rebuild", action="store_true", help="Delete every passage's vectors and compute them again.")

    def handle(self, *args, quiet=False, rebuild=False, **options):
        started = time.monotonic()
        total = vectors.missing_passages().count() + (SentenceVectors.objects.count() if rebuild else 0)
        with tqdm(total=total, unit="passage", disable=quiet, file=self.stderr) as bar:
            stored = (vectors.rebuild if rebuild else vectors.embed_passages)(progress=bar.update)
        took = time.monotonic() - started
        self.stdout.write(f"Stored the sentence vectors of {stored} passages in {took:.1f}s.")
