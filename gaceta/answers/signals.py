"""Passages written for articles queue the computing of their sentence vectors (vectors.py);
a change to Ask's settings shows on the cached Ask page (its example question)."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from gaceta.core.cache import bump_content_generation
from gaceta.search.index import passages_indexed

from .models import AskSettings
from .tasks import embed_article_passages

ARTICLES_PER_TASK = 500


@receiver(passages_indexed)
def queue_sentence_vectors(sender, article_ids, **kwargs):
    # After the commit: a worker (or the immediate backend, at once) then reads the passages
    # that were written, never ones a rolled-back transaction wrote.
    article_ids = list(article_ids)
    for start in range(0, len(article_ids), ARTICLES_PER_TASK):
        chunk = article_ids[start : start + ARTICLES_PER_TASK]
        transaction.on_commit(partial(embed_article_passages.enqueue, chunk))


@receiver(post_save, sender=AskSettings)
def ask_settings_changed(sender, **kwargs):
    bump_content_generation()
