"""Telling the HTTP cache or CDN in front (WAGTAILFRONTENDCACHE: GACETA_PURGE_URL, Cloudflare)
which URLs to drop, with Wagtail's frontend_cache. Wagtail itself purges a page's own URL when it
is published or unpublished; apps add the other URLs a change shows on (listings, feeds)."""

from django.conf import settings
from django.db import transaction


def enabled() -> bool:
    return bool(settings.WAGTAILFRONTENDCACHE)


def purge(urls) -> None:
    """Purge absolute `urls` once the current transaction commits (at once outside one)."""
    if not enabled():
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch(list(dict.fromkeys(urls)))
    transaction.on_commit(batch.purge)
