"""Bylines and sources are shown on published pages: editing one retires cached fragments."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from gaceta.core.cache import bump_content_generation

from .models import Author, SectionPage, Source


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
