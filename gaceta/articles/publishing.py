"""Publishing on a clock: scheduled go-live and expiry, and breaking news that ends by itself."""

import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from gaceta.core.cache import FRAGMENT_TTL, cached_fragment
from gaceta.core.models import PeriodicRun

from .models import ArticlePage


PUBLISH_SCHEDULED = "publish-scheduled"
"""The periodic job's name (registered in apps.py)."""


def publish_scheduled() -> None:
    """Wagtail's own scheduled publishing: revisions whose go-live time has come are published
    and pages past their expiry unpublished, through the usual publish and unpublish, so the
    same signals follow as after an editor's click (caches, Ask index, CDN purge)."""
    call_command("publish_scheduled", stdout=io.StringIO())


OVERDUE_AFTER = timedelta(minutes=2)
"""The clock ticks each minute: a story still waiting this long after its time was missed."""


def scheduled_stories(limit: int = 10) -> list[Revision]:
    """Revisions approved to go live, soonest first, with those whose time has passed: they stay
    listed, marked `overdue`, until the clock publishes them."""
    revisions = list(
        Revision.page_revisions.filter(approved_go_live_at__isnull=False)
        .select_related("user")
        .order_by("approved_go_live_at")[:limit]
    )
    late = timezone.now() - OVERDUE_AFTER
    for revision in revisions:
        revision.overdue = revision.approved_go_live_at < late
    return revisions


def clock_last_ran() -> datetime | None:
    """When scheduled publishing last ran (core/periodic.py), or None if it never has."""
    return PeriodicRun.objects.filter(name=PUBLISH_SCHEDULED).values_list("last_run_at", flat=True).first()


def expiring_stories(limit: int = 10):
    """Live stories that will be unpublished at their expiry time, soonest first."""
    return list(
        ArticlePage.objects.live()
        .filter(expire_at__gt=timezone.now())
        .only("id", "title", "expire_at")
        .order_by("expire_at")[:limit]
    )


@dataclass(frozen=True)
class BreakingStory:
    """What the banner shows; small, so that it caches cheaply."""

    pk: int
    title: str
    url: str
    until: datetime


def breaking_story() -> BreakingStory | None:
    """The newest live story marked as breaking, until its time is up.

    Cached under the `breaking` tag (raised when the breaking story is published or changed, see
    signals.py) and for no longer than the story
    stays breaking, so that the banner ends by itself on time.
    """

    def produce():
        story = ArticlePage.objects.breaking().only("id", "title", "url_path", "breaking_until").first()
        if story is None:
            return False
        return BreakingStory(story.pk, story.title, story.url, story.breaking_until)

    def lifetime(value) -> int:
        if not value:
            return FRAGMENT_TTL
        return max(1, min(FRAGMENT_TTL, int((value.until - timezone.now()).total_seconds())))

    value = cached_fragment("breaking-story", produce, timeout=lifetime, tags=["breaking"])
    if value and value.until <= timezone.now():
        return None
    return value or None


def breaking_state() -> tuple[str, int | None]:
    """For the page cache: which story the banner shows, and for how many seconds more."""
    story = breaking_story()
    if story is None:
        return "", None
    return f"breaking-{story.pk}", max(0, int((story.until - timezone.now()).total_seconds()))
