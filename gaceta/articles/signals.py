"""What a change of articles, bylines and sources retires from caches, here and at the CDN.

A story published, edited or unpublished changes its own page (core's `page:<id>` and `stories`
tags: front page, feeds, sitemaps, "More stories"), its section's listing (`section:<path>`), the
listings of its tags (`tag:<slug>`, also those it loses: a tag's rows are deleted on publish) and
the breaking-news banner if it is or was the breaking story. Bylines and sources show on many
pages: editing one retires everything.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from wagtail.signals import page_published, page_unpublished

from gaceta.core import cdn
from gaceta.core.cache import bump, bump_content_generation

from .models import ArticlePage, ArticleTag, Author, SectionPage, Source, section_tag, tag_tag


@receiver(page_published, sender=ArticlePage)
@receiver(page_unpublished, sender=ArticlePage)
def article_changed(sender, instance, **kwargs):
    from .publishing import breaking_story

    slugs = [tag.slug for tag in instance.tags.all()]
    tags = [section_tag(instance.path[: -instance.steplen]), *(tag_tag(slug) for slug in slugs)]
    current = breaking_story()
    if instance.breaking_until or (current and current.pk == instance.pk):
        tags.append("breaking")
    bump(*tags)
    if cdn.enabled():
        site = instance.get_site()
        root = site.root_url if site else ""
        section_url = instance.get_parent().full_url
        cdn.purge([
            f"{root}/", f"{root}{reverse('feed')}", f"{root}{reverse('sitemap')}", f"{root}{reverse('news-sitemap')}",
            *([section_url, f"{section_url}feed/"] if section_url else []),
            *(f"{root}{reverse('articles:tag', args=[slug])}" for slug in slugs),
        ])


@receiver(post_save, sender=ArticleTag)
@receiver(post_delete, sender=ArticleTag)
def article_tag_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        bump(tag_tag(instance.tag.slug))


@receiver(page_published, sender=SectionPage)
@receiver(page_unpublished, sender=SectionPage)
def section_changed(sender, **kwargs):
    """Sections are the navigation of every page."""
    bump_content_generation()


@receiver(post_save, sender=Author)
@receiver(post_save, sender=Source)
@receiver(post_delete, sender=Author)
@receiver(post_delete, sender=Source)
def credit_changed(sender, **kwargs):
    bump_content_generation()


@receiver(post_save, sender=SectionPage)
def section_created(sender, instance, created, raw=False, **kwargs):
    """Each new section gets its reporters' group (see roles.py)."""
    if created and not raw:
        from .roles import ensure_section_group

        ensure_section_group(instance)
