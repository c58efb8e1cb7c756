from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="site")
class NewsroomSettings(BaseGenericSetting):
    """What the newsroom says about itself on every page and in structured data."""

    tagline = models.CharField(
        max_length=140,
        blank=True,
        help_text="One line under the name on the front page, e.g. “News about Mexico, in English”.",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Used in structured data (Google News) and social cards. At least 600 px wide.",
    )
    footer_notice = models.TextField(
        blank=True,
        help_text="Shown at the foot of every page: copyright, licences of republished text. "
        "Web addresses become links.",
    )

    postal_address = models.TextField(
        blank=True,
        help_text="The newsroom's postal address, printed at the foot of every newsletter (anti-spam "
        "laws ask for one), e.g. “Gaceta, Calle Madero 12, 06000 Ciudad de México”.",
    )

    panels = [FieldPanel("tagline"), FieldPanel("logo"), FieldPanel("footer_notice"), FieldPanel("postal_address")]

    class Meta:
        verbose_name = "newsroom settings"


class ContentGeneration(models.Model):
    """A counter raised whenever published content changes; cached fragments are keyed by it.

    It lives in the database, not only in the cache, so that every server process sees a change
    even when each keeps its own in-memory cache.
    """

    value = models.PositiveBigIntegerField(default=0)


class PeriodicRun(models.Model):
    """When a periodic job (core/periodic.py) last ran; claiming a period updates this row."""

    name = models.CharField(max_length=100, primary_key=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} (last run {self.last_run_at})"


class CacheTag(models.Model):
    """The version of one cache tag (core/cache.py): raised when what the tag names changes.

    A tag never raised has no row and version 0."""

    name = models.CharField(max_length=200, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name} v{self.version}"
