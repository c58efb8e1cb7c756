"""Adding many published articles at once, for imports and the demo archive.

Saving pages one by one through Wagtail (a revision, a publish, a search-index update and a
reference-index update each) takes about a second per hundred articles on SQLite; an archive of
thousands would take minutes. Here the page rows, the article rows and their bylines, sources and
tags are inserted in bulk, and the search index is updated in batches afterwards. The pages are
published without a revision: the first edit in the admin creates one.
"""

import html
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.search.backends import get_search_backend

from .models import ArticleByline, ArticlePage, ArticleSource, ArticleTag, Author, SectionPage, Source

# Sent inside the transaction that adds live articles in bulk, which sends no page_published:
# `articles`, and `paragraphs` (article pk → the spec's plain paragraphs, or None to read the body).
articles_added = Signal()

INDEX_BATCH = 500


@dataclass
class ArticleSpec:
    """An article to add, as plain data."""

    title: str
    dek: str
    paragraphs: list[str]
    published_at: datetime
    import_ref: str
    lead_image_id: int | None = None
    lead_image_caption: str = ""
    lead_image_credit: str = ""
    dateline: str = ""
    tags: list[str] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    sources: list[tuple[Source, str]] = field(default_factory=list)
    rights_notice: str = ""
    visibility: str = "public"
    # Imports with richer bodies than plain paragraphs: the StreamField data itself, the slug the
    # story had, whether it is published (a draft gets no passages), and its last update.
    body: list[dict] | None = None
    slug: str = ""
    live: bool = True
    last_published_at: datetime | None = None


def unique_slug(title: str, taken: set[str]) -> str:
    base = slugify(title)[:200].strip("-") or "story"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def _article(section: SectionPage, spec: ArticleSpec, slug: str, path: str, content_type) -> ArticlePage:
    return ArticlePage(
        title=spec.title,
        draft_title=spec.title,
        slug=slug,
        path=path,
        depth=section.depth + 1,
        numchild=0,
        url_path=f"{section.url_path}{slug}/",
        content_type=content_type,
        locale_id=section.locale_id,
        live=spec.live,
        has_unpublished_changes=not spec.live,
        first_published_at=spec.published_at if spec.live else None,
        last_published_at=(spec.last_published_at or spec.published_at) if spec.live else None,
        dek=spec.dek,
        dateline=spec.dateline,
        lead_image_id=spec.lead_image_id,
        lead_image_caption=spec.lead_image_caption,
        lead_image_credit=spec.lead_image_credit,
        body=spec.body if spec.body is not None else [
            ("paragraph", RichText(f"<p>{html.escape(text, quote=False)}</p>")) for text in spec.paragraphs
        ],
        rights_notice=spec.rights_notice,
        visibility=spec.visibility,
        import_ref=spec.import_ref,
    )


def add_articles(section: SectionPage, specs: list[ArticleSpec]) -> list[ArticlePage]:
    """Publish `specs` under `section`, skipping any whose import_ref is already there."""
    known = set(
        ArticlePage.objects.filter(import_ref__in=[spec.import_ref for spec in specs]).values_list(
            "import_ref", flat=True
        )
    )
    specs = [spec for spec in specs if spec.import_ref not in known]
    if not specs:
        return []
    with transaction.atomic():
        section = SectionPage.objects.select_for_update().get(pk=section.pk)
        last_child = section.get_last_child()
        step = Page._str2int(last_child.path[-Page.steplen :]) if last_child else 0
        taken = set(Page.objects.child_of(section).values_list("slug", flat=True)) | SectionPage.ROUTES
        content_type = ContentType.objects.get_for_model(ArticlePage)
        articles = [
            _article(section, spec, unique_slug(spec.slug or spec.title, taken),
                     Page._get_path(section.path, section.depth + 1, step + number), content_type)
            for number, spec in enumerate(specs, start=1)
        ]
        base_fields = [f.attname for f in Page._meta.concrete_fields if not f.primary_key]
        bases = Page.objects.bulk_create(
            [Page(**{name: getattr(article, name) for name in base_fields}) for article in articles]
        )
        for article, base in zip(articles, bases):
            article.pk = article.page_ptr_id = base.pk
            # raw: insert only the article's own row; the page row is already there.
            article.save_base(raw=True, force_insert=True)
        SectionPage.objects.filter(pk=section.pk).update(numchild=F("numchild") + len(articles))
        _add_credits(articles, specs)
        live = [(article, spec) for article, spec in zip(articles, specs) if spec.live]
        articles_added.send(
            sender=ArticlePage,
            articles=[article for article, _ in live],
            paragraphs={article.pk: spec.paragraphs if spec.body is None else None for article, spec in live},
        )
    index_articles([article.pk for article in articles])
    return articles


def _add_credits(articles: list[ArticlePage], specs: list[ArticleSpec]) -> None:
    ArticleByline.objects.bulk_create(
        ArticleByline(page_id=article.pk, author=author, sort_order=order)
        for article, spec in zip(articles, specs)
        for order, author in enumerate(spec.authors)
    )
    ArticleSource.objects.bulk_create(
        ArticleSource(page_id=article.pk, source=source, url=url, sort_order=order)
        for article, spec in zip(articles, specs)
        for order, (source, url) in enumerate(spec.sources)
    )
    # One tag per name whatever its case (TAGGIT_CASE_INSENSITIVE, as the admin's tag field
    # works): an imported category "Markup" and tag "markup" are one tag.
    names = {}
    for spec in specs:
        for name in spec.tags:
            names.setdefault(name.lower(), name)
    # Matched in Python: SQLite's lower() leaves "É" as it is, and the new "época" would then
    # collide with "Época" on the unique name.
    tags = {key: tag for tag in Tag.objects.only("pk", "name") if (key := tag.name.lower()) in names}
    slugs = set(Tag.objects.values_list("slug", flat=True))
    new_tags = [Tag(name=names[key], slug=unique_slug(names[key], slugs)) for key in sorted(names.keys() - tags.keys())]
    tags.update({tag.name.lower(): tag for tag in Tag.objects.bulk_create(new_tags)})
    ArticleTag.objects.bulk_create(
        ArticleTag(content_object_id=article.pk, tag_id=tags[key].pk)
        for article, spec in zip(articles, specs)
        for key in dict.fromkeys(name.lower() for name in spec.tags)
    )


def refresh_planner_statistics() -> None:
    """ANALYZE after a bulk load: PostgreSQL's planner otherwise keeps the row counts of an empty
    archive and picks plans that read a whole section (300 ms instead of 0.3 ms at 100,000
    articles) until autovacuum gets round to it; SQLite gains index statistics it never had."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def index_articles(article_ids: list[int]) -> None:
    """Add articles to the admin's search index (pages search, choosers) in batches."""
    backend = get_search_backend()
    for start in range(0, len(article_ids), INDEX_BATCH):
        batch = ArticlePage.objects.filter(pk__in=article_ids[start : start + INDEX_BATCH])
        backend.add_bulk(ArticlePage, list(batch.prefetch_related("tags")))
