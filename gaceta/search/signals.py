"""Publishing, editing or unpublishing an article queues its re-indexing for Ask and search;
articles added in bulk get their passages at once."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from gaceta.articles.bulk import articles_added
from gaceta.articles.models import ArticlePage

from .index import passages_indexed, passages_of
from .models import Passage
from .tasks import reindex_article


@receiver(page_published, sender=ArticlePage)
@receiver(page_unpublished, sender=ArticlePage)
def article_changed(sender, instance, **kwargs):
    # The database task backend stores the task in the same transaction, so a worker sees it
    # only once the article is saved. Deleting an article deletes its passages (the foreign
    # key cascades).
    reindex_article.enqueue(instance.pk)


@receiver(articles_added, sender=ArticlePage)
def articles_added_in_bulk(sender, articles, paragraphs, **kwargs):
    Passage.objects.bulk_create(
        (passage for article in articles for passage in passages_of(article, paragraphs[article.pk])),
        batch_size=1000,
    )
    if articles:
        passages_indexed.send(sender=Passage, article_ids=[article.pk for article in articles])
