"""Publishing, editing or unpublishing an article queues its re-indexing for Ask and search."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from gaceta.articles.models import ArticlePage

from .tasks import reindex_article


@receiver(page_published, sender=ArticlePage)
@receiver(page_unpublished, sender=ArticlePage)
def article_changed(sender, instance, **kwargs):
    # The database task backend stores the task in the same transaction, so a worker sees it
    # only once the article is saved. Deleting an article deletes its passages (the foreign
    # key cascades).
    reindex_article.enqueue(instance.pk)
