"""Publishing, editing or unpublishing an article queues its re-indexing for Ask and search."""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from gaceta.articles.models import ArticlePage

from .tasks import reindex_article


@receiver(page_published, sender=ArticlePage)
@receiver(page_unpublished, sender=ArticlePage)
def article_changed(sender, instance, **kwargs):
    # After commit, so that a worker reads what was saved. Deleting an article deletes its
    # passages with it (the foreign key cascades).
    transaction.on_commit(lambda: reindex_article.enqueue(instance.pk))
