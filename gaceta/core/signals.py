"""Derived work after content changes: retire cached fragments and pages.

A page published or unpublished retires its own `page:<id>` tag and `stories` (what is published
anywhere: front page, feeds, sitemaps; see core/cache.py); apps add their own tags (articles: the
section and tag listings). Moves, deletions and settings change what many pages show: they raise
the content generation, which retires everything.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import bump, bump_content_generation, page_tag
from .models import NewsroomSettings


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    bump(page_tag(instance.pk), "stories")


@receiver(post_page_move)
def page_moved(sender, **kwargs):
    bump_content_generation()


@receiver(post_delete, sender=Page)
def page_deleted(sender, **kwargs):
    bump_content_generation()


@receiver(post_save, sender=NewsroomSettings)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def settings_changed(sender, created=False, **kwargs):
    # A settings row created with its defaults on first read changes nothing shown.
    if not (created and sender is NewsroomSettings):
        bump_content_generation()
