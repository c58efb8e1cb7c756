import uuid

from django.core.cache import cache
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from .addresses import absolute_url


@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /ask/?",  # every answer is a question a reader asked: not pages to index
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
        f"Sitemap: {absolute_url(reverse('news-sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
@never_cache
def healthz(request):
    """The process is up and answering."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request):
    """Ready for traffic: the database answers, and so does the cache."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as error:
        checks["database"] = f"unavailable: {error.__class__.__name__}"
    probe = f"gaceta:readyz:{uuid.uuid4().hex}"
    try:
        cache.set(probe, "1", 10)
        checks["cache"] = "ok" if cache.get(probe) == "1" else "unavailable"
        cache.delete(probe)
    except Exception as error:  # noqa: BLE001 - any cache failure means not ready
        checks["cache"] = f"unavailable: {error.__class__.__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503)


# --- Error pages (handler400 and handler404 of the root URLconf) -----------------------------------

def wants_json(request) -> bool:
    """API paths, JSON documents and scripts that ask for JSON get errors as JSON."""
    path = request.path
    return path.startswith("/api/") or path.endswith(".json") or "application/json" in request.headers.get("Accept", "")


def error_response(request, status: int, message: str):
    if wants_json(request):
        response = JsonResponse({"error": message}, status=status)
    else:
        response = render(request, f"{status if status in (400, 404) else 400}.html", {"message": message}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def bad_request(request, exception=None):
    """A request that could not be understood. Only BadRequest's own words are shown: they are
    written for readers; other errors of the family (a forged host, a broken cookie) are not."""
    if isinstance(exception, RequestDataTooBig):
        return error_response(request, 413, "The request is too large.")
    message = str(exception) if isinstance(exception, BadRequest) and str(exception) else ""
    return error_response(request, 400, message or "The request could not be understood.")


def page_not_found(request, exception=None):
    return error_response(request, 404, "Not found.")
