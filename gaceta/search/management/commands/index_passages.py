from django.core.management.base import BaseCommand
from tqdm import tqdm

from gaceta.search.index import reindex_articles
from gaceta.articles.models import ArticlePage


class Command(BaseCommand):
    help = "Rebuild the passage index (site search and Ask) for every article, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, quiet=False, **options):
        # Every article, live or not: those that are not live lose any passages left over.
        ids = list(ArticlePage.objects.order_by("pk").values_list("pk", flat=True))
        with tqdm(total=len(ids), unit="article", disable=quiet, file=self.stderr) as bar:
            created = reindex_articles(ids, progress=bar.update)
        self.stdout.write(f"Indexed {created} passages from {len(ids)} articles.")
