"""Comments and their settings change what pages show: retire cached fragments."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from gaceta.core.cache import bump_content_generation

from .models import Comment, CommentSettings


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def comment_changed(sender, **kwargs):
    bump_content_generation()


@receiver(post_save, sender=CommentSettings)
def comment_settings_changed(sender, created=False, **kwargs):
    if not created:  # the row made with defaults on first read changes nothing
        bump_content_generation()
