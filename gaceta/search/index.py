"""Keeping the passage index in step with what is published."""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.dispatch import Signal

from gaceta.articles.models import ArticlePage
from gaceta.articles.preview import block_texts, cut_of, preview_cut, preview_texts

from .models import Passage

BATCH = 500

# Sent when passages have been written for `article_ids` (a list), inside the transaction that
# wrote them: re-indexing and articles added in bulk. The apps above derive their own data from
# passages on it (Ask's sentence vectors), without this app knowing them.
passages_indexed = Signal()


def passages_of(article: ArticlePage, paragraphs: list[str] | None = None) -> list[Passage]:
    """Position 0: headline and summary; then one passage per text block of the body.

    Passages `in_full` hold the story as readers who may read all of it see it; `is_preview`
    ones what every reader sees (preview.py). A paragraph the preview cuts by sentences has both:
    the whole one, and the cut one for everyone else. `paragraphs`: the body as plain text when
    the caller has it (bulk imports), which saves reading the rich text back; such a body has
    no preview break.
    """
    section = article.section.title if article.section else ""
    common = {
        "article_id": article.pk,
        "title": article.title[:255],
        "section": section[:255],
        "published_at": article.first_published_at,
        "visibility": article.visibility,
    }
    texts = block_texts(article.body) if paragraphs is None else paragraphs
    cut = cut_of(article.body) if paragraphs is None else preview_cut(texts)
    lead = f"{article.title}. {article.dek}".strip() if article.dek else article.title
    passages = [Passage(position=0, text=lead, is_preview=True, **common)]
    for number, text in enumerate(texts, start=1):
        passages.append(Passage(position=number, text=text, is_preview=number <= cut.whole, **common))
    if cut.sentences and cut.whole < len(texts):
        number = cut.whole + 1
        shown = preview_texts(texts, cut)[-1]
        passages.append(Passage(position=number, text=shown, is_preview=True, in_full=False, **common))
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
            if rows:
                passages_indexed.send(sender=Passage, article_ids=sorted({row.article_id for row in rows}))
        created += len(rows)
        if progress:
            progress(len(batch))
    return created
