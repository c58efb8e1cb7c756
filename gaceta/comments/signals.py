"""A comment changes the counts shown on cards and articles: retire cached fragments."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from gaceta.core.cache import bump_content_generation

from .models import Comment


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def comment_changed(sender, **kwargs):
    bump_content_generation()
