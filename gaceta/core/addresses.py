"""The site's public address (GACETA_BASE_URL), the start of every link that leaves a page; and
which of its own pages a request is for."""

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


def is_account_page(request) -> bool:
    """Whether `request` is for one of allauth's pages (sign in, sign up, codes, passwords, email
    addresses), all named `account_…`."""
    match = getattr(request, "resolver_match", None)
    return bool(match and (match.url_name or "").startswith("account_"))
