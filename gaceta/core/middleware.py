from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from .cache import cached_fragment
from .views import healthz, readyz

PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthProbeMiddleware:
    """Answer the load balancer's probes ahead of every other middleware.

    Readiness must report the database as it is, so nothing may query it first (the site lookup
    below does once its cached generation expires); probes come by IP over plain HTTP, so the host
    check and the HTTPS redirect must not turn them away either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        return probe(request) if probe else self.get_response(request)


def _site_for(hostname: str, port: int):
    """The Wagtail site for a host, with its root page already loaded as its specific type."""
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return False  # cached too: unknown hosts must not cost a query each
    site.root_page = site.root_page.specific
    return site


class CachedSiteMiddleware:
    """Find the request's Wagtail site (and root page) in the cache instead of three queries.

    Wagtail keeps the site it finds on `request._wagtail_site` for the rest of the request;
    setting it here first means its lookup never runs. The cache entry is retired with every
    other fragment when content changes (see core/cache.py and core/signals.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        site = cached_fragment(f"site:{hostname}:{port}", lambda: _site_for(hostname, port))
        if site:
            request._wagtail_site = site
        return self.get_response(request)
