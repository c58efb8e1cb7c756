"""Settings for `make run`: a newsroom on one machine, with debug pages unless DJANGO_DEBUG=0."""

from .base import *  # noqa: F403
import os

from .base import SECRET_KEY, email_backend, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
# A fixed development key: this module is never used in production (see production.py).
SECRET_KEY = SECRET_KEY or "gaceta-dev-only-not-secret"
EMAIL_BACKEND, GACETA_EMAIL_PROVIDER = email_backend(os.environ.get("GACETA_EMAIL_BACKEND", "console"))

# Serve static files straight from the apps' folders, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

try:
    from .local import *  # noqa: F403
except ImportError:
    pass
