"""Sitemaps: every page for search engines, and the last 48 hours for Google News."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.utils import timezone
from wagtail.models import Page, Site

from gaceta.core.addresses import absolute_url, base_host, base_scheme

from .models import ArticlePage

NEWS_WINDOW = timedelta(hours=48)


class NewsroomSitemap(Sitemap):
    """URLs under the site's public address (GACETA_BASE_URL), whatever host was asked."""

    def get_domain(self, site=None):
        return base_host()

    def get_protocol(self, protocol=None):
        return base_scheme()


class ArticleSitemap(NewsroomSitemap):
    # Google reads at most 50,000 URLs per sitemap file; /sitemap.xml indexes the pages of this.
    limit = 50_000

    def items(self):
        return ArticlePage.objects.published().only("url_path", "path", "depth", "last_published_at")

    def location(self, item):
        return item.get_url()

    def lastmod(self, item):
        return item.last_published_at

    def get_latest_lastmod(self):
        """The index's <lastmod>, from one query (Django's default loads every article)."""
        return self.items().aggregate(latest=Max("last_published_at"))["latest"]


class SectionSitemap(NewsroomSitemap):
    changefreq = "hourly"

    def items(self):
        """The front page and the sections of the default site (pages outside it have no URL here)."""
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            return Page.objects.none()
        root = site.root_page
        return Page.objects.live().descendant_of(root, inclusive=True).filter(depth__lte=root.depth + 1).order_by("path").specific()

    def location(self, item):
        return item.get_url()

    def lastmod(self, item):
        return item.last_published_at


class NewsSitemap(ArticleSitemap):
    """Articles of the last 48 hours, with the <news:news> elements Google News asks for."""

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            ArticlePage.objects.published()
            .filter(first_published_at__gte=since)
            .only("title", "url_path", "path", "depth", "first_published_at", "last_published_at")
        )


SITEMAPS = {"sections": SectionSitemap, "articles": ArticleSitemap}


def sitemap_index(request, **kwargs):
    """Django's sitemap index, each sitemap's address under the site's public one, whatever host
    was asked (Django builds them from the request)."""
    response = sitemap_views.index(request, **kwargs)
    for item in response.context_data["sitemaps"]:
        path = "/" + item.location.split("://", 1)[-1].split("/", 1)[-1]
        item.location = absolute_url(path)
    return response
