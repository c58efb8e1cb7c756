"""Comments and their settings change what pages show: retire what showed them.

A comment changes its article's thread and comment count, and nothing else: its `comments:<id>`
tag retires the count that slots fill in on every page showing it (core/slots.py) and what was
built from the thread; cached pages stay. The CDN is told to drop the story, its section and
the front page, whose copies carry the old count."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from gaceta.core import cdn
from gaceta.core.cache import bump, bump_content_generation

from .models import Comment, CommentSettings, comments_tag


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def comment_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    bump(comments_tag(instance.article_id))
    if cdn.enabled():
        # The story, and the listings most likely to show its card: its section and the front page.
        article = instance.article
        site = article.get_site()
        url = article.full_url
        if site and url:
            cdn.purge([url, url[: url.rstrip("/").rindex("/") + 1], f"{site.root_url}/"])


@receiver(post_save, sender=CommentSettings)
def comment_settings_changed(sender, created=False, **kwargs):
    if not created:  # the row made with defaults on first read changes nothing
        bump_content_generation()
