"""Setting a newsroom up: the front page as the site's root (the demo loader and imports use it)."""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Page, Site

from .models import FrontPage


def ensure_front_page() -> FrontPage:
    """The front page as the default site's root, replacing Wagtail's welcome page."""
    front = FrontPage.objects.first()
    if front is None:
        root = Page.get_first_root_node()
        front = root.add_child(instance=FrontPage(title=settings.WAGTAIL_SITE_NAME, slug="front"))
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    old_root = site.root_page if site.pk and site.root_page_id != front.pk else None
    # The site's address follows GACETA_BASE_URL (and so `make run`'s PORT) each time.
    base_url = urlsplit(settings.GACETA_BASE_URL)
    site.hostname = base_url.hostname or "localhost"
    site.port = base_url.port or (443 if base_url.scheme == "https" else 80)
    site.site_name = site.site_name or settings.WAGTAIL_SITE_NAME
    site.root_page = front
    site.save()
    if old_root and old_root.depth == 2 and not isinstance(old_root.specific, FrontPage):
        old_root.delete()
    return front
