"""Bylines and sources are shown on published pages: editing one retires cached fragments."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from gaceta.core.cache import bump_content_generation

from .models import Author, Source


@receiver(post_save, sender=Author)
@receiver(post_save, sender=Source)
@receiver(post_delete, sender=Author)
@receiver(post_delete, sender=Source)
def credit_changed(sender, **kwargs):
    bump_content_generation()
