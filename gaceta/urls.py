from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.cache import cache_page
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from gaceta.articles.feeds import LatestStoriesFeed
from gaceta.articles.sitemaps import SITEMAPS, NewsSitemap, sitemap_index
from gaceta.core.views import robots_txt

SITEMAP_CACHE_SECONDS = 5 * 60
handler400 = "gaceta.core.views.bad_request"
handler404 = "gaceta.core.views.page_not_found"
# Allauth's answer over its rate limits (it looks for this name in the root URLconf).
handler429 = "gaceta.members.views.account_rate_limited"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("feed/", LatestStoriesFeed(), name="feed"),
    # An index of paginated sitemaps: a search engine reads at most 50,000 URLs per file.
    path(
        "sitemap.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "news-sitemap.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.sitemap),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "articles/news_sitemap.xml"},
        name="news-sitemap",
    ),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("accounts/", include("allauth.urls")),
    path("anymail/", include("anymail.urls")),  # providers' tracking and inbound webhooks
    path("", include("gaceta.newsletters.urls")),
    path("", include("gaceta.members.urls")),
    path("", include("gaceta.payments.urls")),
    path("", include("gaceta.comments.urls")),
    path("", include("gaceta.answers.urls")),
    path("", include("gaceta.api.urls")),
    path("", include("gaceta.articles.urls")),
    path("", include("gaceta.search.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
