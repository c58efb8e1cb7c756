import itertools
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from gaceta.articles.bulk import ArticleSpec, add_articles, refresh_planner_statistics
from gaceta.articles.models import ArticlePage, Author
from gaceta.comments.models import Comment
from gaceta.core.cache import bump_content_generation
from gaceta.demo import original
from gaceta.demo.loader import ensure_sections
from gaceta.frontpage.setup import ensure_front_page
from gaceta.demo.wikinews import read_corpus
from gaceta.members.models import Member

BATCH = 5_000
YEARS = 10


class Command(BaseCommand):
    help = (
        "Add N generated articles for load tests: texts from the demo archive (or the original demo "
        "stories), dates spread over the last ten years, both sections, tags, and comments on one "
        "story in ten. Not for a real newsroom."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument("--data", default=settings.GACETA_DEMO_DATA)

    def handle(self, *args, articles, data, **options):
        started = time.monotonic()
        sections = ensure_sections(ensure_front_page())
        corpus = self.texts(Path(data))
        author, _ = Author.objects.get_or_create(slug="load-test-desk", defaults={"name": "Load test desk"})
        commenter, _ = Member.objects.get_or_create(username="load-test-reader", defaults={"email": "load@example.org"})
        now = datetime.now(ZoneInfo(settings.TIME_ZONE))
        step = timedelta(days=365 * YEARS) / max(articles, 1)
        offset = ArticlePage.objects.filter(import_ref__startswith="generated:").count()
        texts = itertools.cycle(corpus)
        with tqdm(total=articles, unit="article", disable=options["verbosity"] == 0) as progress:
            for start in range(offset, offset + articles, BATCH):
                batch = []
                for number in range(start, min(start + BATCH, offset + articles)):
                    title, paragraphs, tags = next(texts)
                    batch.append((number % 2, ArticleSpec(
                        title=f"{title} ({number})", dek=paragraphs[0][:280], paragraphs=paragraphs,
                        published_at=now - step * (number + 1), import_ref=f"generated:{number}",
                        tags=tags, authors=[author],
                    )))
                for index, slug in enumerate(sections):
                    added = add_articles(sections[slug], [spec for parity, spec in batch if parity == index % 2])
                    Comment.objects.bulk_create(
                        Comment(article=page, member=commenter, body="A generated comment.",
                                body_html="<p>A generated comment.</p>", status="published")
                        for page in added[::10]
                    )
                progress.update(len(batch))
        refresh_planner_statistics()
        bump_content_generation()
        self.stdout.write(f"Added {articles} articles in {time.monotonic() - started:.0f}s.")

    @staticmethod
    def texts(data: Path) -> list[tuple[str, list[str], list[str]]]:
        if (data / "corpus" / "corpus.jsonl").exists():
            return [(story.title, story.paragraphs, story.tags) for story in read_corpus(data)]
        return [(story["title"], story["paragraphs"], story["tags"]) for story in original.STORIES]
