"""Production settings: refuse to start without the secrets a site that takes payments needs."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, REDIS_URL, SECRET_KEY, STORAGES, TASK_BACKENDS, env_bool

DEBUG = False

if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY to a long random string.")
if not os.environ.get("DJANGO_ALLOWED_HOSTS"):
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS to the site's host names, comma separated.")
# Rate limits and the page cache live in the cache: each process's own memory would give every
# worker its own allowance and its own stale pages.
if not REDIS_URL and not env_bool("GACETA_ALLOW_LOCAL_CACHE", False):
    raise ImproperlyConfigured(
        "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) so that every process shares one cache for "
        "rate limits and pages, or GACETA_ALLOW_LOCAL_CACHE=1 if the site runs a single process."
    )
if not os.environ.get("GACETA_BASE_URL"):
    raise ImproperlyConfigured("Set GACETA_BASE_URL to the site's public address, e.g. https://news.example.org.")

LOGGING["handlers"]["console"]["formatter"] = os.environ.get("GACETA_LOG_FORMAT", "json")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[os.environ.get("GACETA_TASKS", "database")]}}
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("GACETA_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("GACETA_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
