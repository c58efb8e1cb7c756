"""Settings for the test suite: fast hashing, local mail and immediate tasks."""

import os

from .base import *  # noqa: F403
from .base import email_backend

SECRET_KEY = "gaceta-test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND, GACETA_EMAIL_PROVIDER = email_backend(os.environ.get("GACETA_EMAIL_BACKEND", "locmem"))
GACETA_BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
GACETA_NEWSLETTER_LIST_DOMAIN = "testserver"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
