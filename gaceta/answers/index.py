"""Keeping the passage index in step with what is published."""

import html
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.utils.html import strip_tags

from gaceta.articles.models import ArticlePage

from .models import Passage

BATCH = 500


def _plain(markup: str) -> str:
    """Text of a rich-text paragraph: tags gone, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(markup.replace("</li>", "</li>\n"))).split())


def block_texts(article: ArticlePage) -> list[str]:
    """The article's body as paragraphs of plain text, in order."""
    texts = []
    for block in article.body:
        if block.block_type == "paragraph":
            text = _plain(block.value.source)
        elif block.block_type == "quote":
            text = " ".join(block.value["text"].split())
        else:
            continue
        if text:
            texts.append(text)
    return texts


def passages_of(article: ArticlePage, paragraphs: list[str] | None = None) -> list[Passage]:
    """Position 0: headline and summary; then one passage per paragraph of the body.

    `paragraphs`: the body as plain text when the caller has it (bulk imports), which saves
    reading the rich text back.
    """
    section = article.section.title if article.section else ""
    common = {
        "article_id": article.pk,
        "title": article.title[:255],
        "section": section[:255],
        "published_at": article.first_published_at,
        "visibility": article.visibility,
    }
    lead = f"{article.title}. {article.dek}".strip() if article.dek else article.title
    passages = [Passage(position=0, text=lead, is_preview=True, **common)]
    for number, text in enumerate(block_texts(article) if paragraphs is None else paragraphs, start=1):
        passages.append(
            Passage(position=number, text=text, is_preview=number <= settings.GACETA_PREVIEW_PARAGRAPHS, **common)
        )
    return passages


def reindex_articles(article_ids: Iterable[int], progress: Callable[[int], None] | None = None) -> int:
    """Replace the passages of these articles with their current published text.

    An article that is not live (unpublished, deleted, scheduled) ends with none. Idempotent:
    running it twice leaves the same rows.
    """
    article_ids = list(article_ids)
    created = 0
    for start in range(0, len(article_ids), BATCH):
        batch = article_ids[start : start + BATCH]
        articles = ArticlePage.objects.published().filter(pk__in=batch)
        with transaction.atomic():
            Passage.objects.filter(article_id__in=batch).delete()
            rows = [passage for article in articles for passage in passages_of(article)]
            Passage.objects.bulk_create(rows, batch_size=BATCH)
        created += len(rows)
        if progress:
            progress(len(batch))
    return created
