"""The site's public address (GACETA_BASE_URL), the start of every link that leaves a page."""

from urllib.parse import urljoin, urlsplit

from django.conf import settings


def absolute_url(url: str) -> str:
    """`url` (a path such as "/politics/") under the site's public address; a URL that already
    names its host (media on a CDN) is returned as it is."""
    return urljoin(f"{settings.GACETA_BASE_URL}/", url)


def base_host() -> str:
    """Host and port of the public address, as emails name the site ("news.example.org")."""
    return urlsplit(settings.GACETA_BASE_URL).netloc


def base_scheme() -> str:
    return urlsplit(settings.GACETA_BASE_URL).scheme
