"""Whole pages for anonymous readers, from the cache, and headers that let any CDN keep them.

A reader with no session is anonymous: every such reader gets the same page, so it is stored
under its URL, the content generation and the newsroom's date (the masthead shows the day),
with the cache tags its parts were built from and their versions (core/cache.py). It is served
while those versions are unchanged: a publish retires the pages of that article, its listings,
the front page and the feeds, and nothing else. Comment counts are slots, filled in on every
answer from the cache (core/slots.py), so a comment retires no page. Members (a session cookie) always get a fresh, private page with their
personal parts.
"""

import hashlib
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.encoding import escape_uri_path

from .cache import DEFAULT_TAGS, collecting, content_generation, tag_versions

PERSONAL_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}
CACHEABLE_TYPES = ("text/html", "application/rss+xml", "application/xml", "text/plain")
# Parameters that campaigns and social sites add to links; no page reads them, so a shared link
# must not build and store its own copy of a page.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "twclid", "igshid", "yclid",
    "mc_cid", "mc_eid", "_ga", "_gl", "ref", "ref_src", "s_cid", "mkt_tok",
})

# Functions giving the state of something every page shows that changes by itself (a breaking
# news banner ends): `state() -> (key_part, seconds_left or None)`. Pages are stored under the
# key part, and kept here and by CDNs no longer than the seconds left.
_volatile_states: list = []


def vary_on(state) -> None:
    """Register `state` (see above); apps call this from ready()."""
    if state not in _volatile_states:
        _volatile_states.append(state)


def capped(seconds: int, limit: int | None) -> int:
    return seconds if limit is None else min(seconds, limit)


def volatile_state() -> tuple[str, int | None]:
    states = [state() for state in _volatile_states]
    limits = [seconds for _, seconds in states if seconds is not None]
    return ":".join(part for part, _ in states), min(limits, default=None)


def is_anonymous_read(request) -> bool:
    return request.method in ("GET", "HEAD") and not (PERSONAL_COOKIES & request.COOKIES.keys())


def is_tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMETERS


def page_address(request) -> str:
    """The path and the query without tracking parameters: the part of a URL a page depends on."""
    query = [(name, value) for name, value in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
             if not is_tracking(name)]
    path = escape_uri_path(request.path)
    return f"{path}?{urlencode(query)}" if query else path


def cache_key(request, state: str = "") -> str:
    """The page's key: the address hashed, as Django's cache middleware does, so that a long
    query (a question, a search) stays within every backend's key length (memcached: 250)."""
    address = hashlib.sha256(f"{request.get_host()}:{page_address(request)}".encode()).hexdigest()
    return f"gaceta:pages:{content_generation()}:{timezone.localdate()}:{state}:{address}"


def is_shareable(response) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in control
        and "no-store" not in control
        and response.get("Content-Type", "").startswith(CACHEABLE_TYPES)
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_read(request):
            response = self.get_response(request)
            if request.method in ("GET", "HEAD") and "Cache-Control" not in response:
                patch_cache_control(response, private=True, no_cache=True)
            return response
        state, limit = volatile_state()
        key = cache_key(request, state) if settings.GACETA_PAGE_CACHE_SECONDS else None
        stored = cache.get(key) if key else None
        if stored is not None and tag_versions(stored[2]) == stored[2]:
            content, headers, _ = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        if not key:
            return self.shared(self.get_response(request), limit)
        defaults = tag_versions(DEFAULT_TAGS)  # read before anything the page shows
        with collecting() as dependencies:
            response = self.shared(self.get_response(request), limit)
        lifetime = capped(settings.GACETA_PAGE_CACHE_SECONDS, limit)
        if is_shareable(response) and lifetime > 0:
            versions = dict(dependencies) if dependencies.exact else {**defaults, **dependencies}
            cache.set(key, (response.content, list(response.items()), versions), lifetime)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def shared(response, limit):
        """`response` with the headers that let browsers and CDNs keep it, if it may be shared."""
        if is_shareable(response):
            if "Cache-Control" not in response:
                patch_cache_control(
                    response, public=True, max_age=capped(settings.GACETA_BROWSER_MAX_AGE, limit),
                    s_maxage=capped(settings.GACETA_SHARED_MAX_AGE, limit),
                    stale_while_revalidate=capped(settings.GACETA_STALE_WHILE_REVALIDATE, limit),
                )
        return response
