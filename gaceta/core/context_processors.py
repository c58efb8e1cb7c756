from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.html import urlize
from django.utils.safestring import mark_safe

from .cache import cached_fragment, versions_key


def _newsroom_settings():
    from .models import NewsroomSettings

    def produce():
        row = NewsroomSettings.load()
        # Escaped first, then web addresses turned into links: safe to output as it is.
        notice = mark_safe(urlize(row.footer_notice, autoescape=True))
        return {"tagline": row.tagline, "footer_notice": notice}

    return cached_fragment("newsroom-settings", produce)


def newsroom(request):
    """What every page shows of the newsroom; each piece is computed only if a template uses it."""
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "newsroom": SimpleLazyObject(_newsroom_settings),
        # Key part of fragments that list what is published (front page, "More stories").
        "stories_version": SimpleLazyObject(lambda: versions_key(["stories"])),
        "fragment_cache": fragment_cache(request),
    }


def fragment_cache(request) -> str:
    """The cache alias that `{% cache … using=fragment_cache %}` stores fragments in: none at all
    for an editor's preview, whose text may be a draft."""
    return "preview" if getattr(request, "is_preview", False) else "default"
