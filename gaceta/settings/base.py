"""Settings shared by every environment.

Everything a newsroom may change comes from an environment variable with a safe default, so that
`make run` works with none set. README.md lists every variable.
"""

import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

INSTALLED_APPS = [
    "gaceta.core",
    "gaceta.articles",
    "gaceta.frontpage",
    "gaceta.comments",
    "gaceta.members",
    "gaceta.payments",
    "gaceta.search",
    "gaceta.answers",
    "gaceta.newsletters",
    "gaceta.api",
    "gaceta.wordpress",
    "gaceta.demo",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "anymail",
    "allauth",
    "allauth.account",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "gaceta.core.middleware.HealthProbeMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # before the page cache: cached pages carry the policy too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gaceta.wordpress.middleware.WordPressLinkMiddleware",
    # Outside the page cache: pages are stored with their slots and filled in on every answer.
    "gaceta.core.slots.SlotMiddleware",
    "gaceta.core.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "gaceta.core.middleware.CachedSiteMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

# Content-Security-Policy (django-csp) on every reader page: scripts, styles and connections only
# from the site itself, so markup that slipped into a comment or a story could not run. Images,
# video and embedded players may come from any https origin (media on S3 or a CDN, oEmbed
# players). Wagtail's admin uses inline scripts and styles of its own and goes without.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https:"],
        "media-src": ["'self'", "https:"],
        "frame-src": ["'self'", "https:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

ROOT_URLCONF = "gaceta.urls"
WSGI_APPLICATION = "gaceta.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gaceta.core.context_processors.newsroom",
                "gaceta.articles.context_processors.breaking_news",
                "gaceta.articles.context_processors.navigation",
            ],
        },
    },
    # Comment threads only (gaceta/jinja2/): hundreds of comments a page, where Jinja2 renders
    # each in microseconds (see gaceta/comments/rendering.py).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [PROJECT_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "gaceta.comments.rendering.jinja_environment"},
    },
]

# --- Database: a SQLite file unless DATABASE_URL names another database -------------------------
SQLITE_PATH = os.environ.get("GACETA_SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("GACETA_DB_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while a writer commits; IMMEDIATE avoids "database is locked" upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when REDIS_URL is set, this process's memory otherwise ---------------------------
def redis_cache(url: str) -> dict:
    """django-redis, set to degrade instead of failing: with Redis unreachable every read misses
    and every write is dropped (pages are built without the cache), and each error is logged
    (DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS below); /readyz still reports the cache unavailable."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": os.environ.get("GACETA_CACHE_PREFIX", "gaceta"),
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, "IGNORE_EXCEPTIONS": True},
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "gaceta.cache"
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
CACHES["renditions"] = CACHES["default"]
# Previews of drafts render through this cache, which keeps nothing: a draft's text must never
# reach a fragment that readers are served (see gaceta.core.context_processors).
CACHES["preview"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}

# --- Pages for anonymous readers: whole-page cache here, and headers for browsers and CDNs ------
GACETA_PAGE_CACHE_SECONDS = int(os.environ.get("GACETA_PAGE_CACHE_SECONDS", "600"))
GACETA_BROWSER_MAX_AGE = int(os.environ.get("GACETA_BROWSER_MAX_AGE", "60"))
GACETA_SHARED_MAX_AGE = int(os.environ.get("GACETA_SHARED_MAX_AGE", "300"))
GACETA_STALE_WHILE_REVALIDATE = int(os.environ.get("GACETA_STALE_WHILE_REVALIDATE", "600"))

# A CDN or proxy in front is told which URLs to drop when a page is published or unpublished:
# GACETA_PURGE_URL for an HTTP cache that accepts PURGE (Varnish, nginx with a purge module),
# CLOUDFLARE_API_TOKEN + CLOUDFLARE_ZONE_ID for Cloudflare. Without them, the short s-maxage above
# bounds how long a CDN can show a page after a change.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("GACETA_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["GACETA_PURGE_URL"],
    }
if os.environ.get("CLOUDFLARE_API_TOKEN"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ["CLOUDFLARE_API_TOKEN"],
        "ZONEID": os.environ.get("CLOUDFLARE_ZONE_ID", ""),
    }
if WAGTAILFRONTENDCACHE:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")

# --- Background work (django-tasks) ----------------------------------------------------------------
# "immediate" runs tasks inside the request (one machine, no worker: the default for `make run`);
# "database" queues them in the database for `make worker` (production's default).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
GACETA_TASKS = os.environ.get("GACETA_TASKS", "immediate")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[GACETA_TASKS]}}

AUTH_USER_MODEL = "members.Member"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Members: accounts by email, signing in with a one-time code (django-allauth) --------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1"]  # a password is optional: codes by email suffice
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True  # codes, not links: link scanners cannot use them
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True  # a new address replaces the old one only once it is verified
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None  # the reader chooses: "Keep me signed in"
ACCOUNT_ADAPTER = "gaceta.members.adapter.NewsroomAccountAdapter"
ACCOUNT_FORMS = {"signup": "gaceta.newsletters.forms.SignupForm", "login": "gaceta.members.forms.LoginForm"}
ACCOUNT_USER_DISPLAY = "gaceta.members.models.display_name"
LOGIN_REDIRECT_URL = "/account/"
LOGIN_URL = "/accounts/login/"
# Allauth's defaults limit code requests per IP and per email address (see README).
DEFAULT_FROM_EMAIL = os.environ.get("GACETA_FROM_EMAIL", "Gaceta <newsroom@example.org>")


def email_backend(choice: str) -> tuple[str, str]:
    """GACETA_EMAIL_BACKEND → (Django's EMAIL_BACKEND, the provider's name for rate limits).

    `console`, `smtp`, or `anymail:<provider>` for any provider django-anymail supports
    (`anymail:mailgun`, `anymail:amazon_ses`, `anymail:postmark`, `anymail:sendgrid`, `anymail:brevo`…).
    """
    if choice in ("console", "smtp", "locmem"):
        return f"django.core.mail.backends.{choice}.EmailBackend", choice
    if choice.startswith("anymail:"):
        provider = choice.removeprefix("anymail:")
        return f"anymail.backends.{provider}.EmailBackend", provider
    raise ValueError(f"GACETA_EMAIL_BACKEND={choice!r}: use console, smtp or anymail:<provider>.")


EMAIL_BACKEND, GACETA_EMAIL_PROVIDER = email_backend(os.environ.get("GACETA_EMAIL_BACKEND", "smtp"))
EMAIL_HOST = os.environ.get("GACETA_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("GACETA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("GACETA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GACETA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("GACETA_EMAIL_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("GACETA_EMAIL_TIMEOUT", "30"))
# A provider's credentials and webhook secrets, as anymail names them without the prefix:
# ANYMAIL_MAILGUN_API_KEY, ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY, ANYMAIL_POSTMARK_SERVER_TOKEN,
# ANYMAIL_WEBHOOK_SECRET ("user:password" that the provider's webhooks send as basic auth)…
ANYMAIL = {name.removeprefix("ANYMAIL_"): value for name, value in os.environ.items() if name.startswith("ANYMAIL_")}

# --- Newsletters -----------------------------------------------------------------------------------
# Messages per period for the chosen provider ("14/s" is Amazon SES's usual starting quota);
# empty: as fast as the server takes them. Shared by every worker through the cache.
NEWSLETTER_DEFAULT_RATES = {"amazon_ses": "14/s", "postmark": "50/s", "mailgun": "100/s", "sendgrid": "100/s", "brevo": "50/s"}
GACETA_NEWSLETTER_RATE = os.environ.get("GACETA_NEWSLETTER_RATE", NEWSLETTER_DEFAULT_RATES.get(GACETA_EMAIL_PROVIDER, ""))
# Recipients per batch: one task and one SMTP connection each.
GACETA_NEWSLETTER_BATCH_SIZE = int(os.environ.get("GACETA_NEWSLETTER_BATCH_SIZE", "500"))
# A running batch renews its claim every 10 s; rows whose claim is older than this belong to a
# sender that stopped (killed, crashed), and the next run sends them.
GACETA_NEWSLETTER_LEASE_SECONDS = int(os.environ.get("GACETA_NEWSLETTER_LEASE_SECONDS", "60"))
# The mailbox in the List-Unsubscribe header (its messages unsubscribe through anymail's inbound webhook).
GACETA_NEWSLETTER_UNSUBSCRIBE_EMAIL = os.environ.get(
    "GACETA_NEWSLETTER_UNSUBSCRIBE_EMAIL",
    "unsubscribe@" + (DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "example.org"),
)

# --- Payments (Stripe); without a secret key the site runs and says payments are off ------------
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
# Only tests change this: the local server that speaks Stripe's API.
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com")
# A past_due subscription keeps paid access this many days while Stripe retries the card.
GACETA_PAST_DUE_GRACE_DAYS = int(os.environ.get("GACETA_PAST_DUE_GRACE_DAYS", "7"))
# Paragraphs of a members-only or paid story shown to readers who may not read it all.
GACETA_PREVIEW_PARAGRAPHS = int(os.environ.get("GACETA_PREVIEW_PARAGRAPHS", "3"))
# …and at most this share of its words (at least its first sentence).
GACETA_PREVIEW_MAX_SHARE = float(os.environ.get("GACETA_PREVIEW_MAX_SHARE", "0.3"))
# Settings whose values are part of every cache key: pages cached under other values are not served.
GACETA_CACHE_KEY_SETTINGS = ["GACETA_PREVIEW_PARAGRAPHS", "GACETA_PREVIEW_MAX_SHARE", "GACETA_AGE_NOTICE_DAYS"]
# What happens to a deleted member's comments: "anonymise" (kept, no name) or "remove".
GACETA_DELETED_MEMBER_COMMENTS = os.environ.get("GACETA_DELETED_MEMBER_COMMENTS", "anonymise")

# --- Time: the newsroom's time zone is the one every date on the site is shown in -----------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("GACETA_TIME_ZONE", "America/Mexico_City")
USE_I18N = True
USE_TZ = True

# --- Static and media files ------------------------------------------------------------------------
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("GACETA_STATIC_ROOT", BASE_DIR / "static_collected"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("GACETA_MEDIA_ROOT", BASE_DIR / "media"))
# WordPress exports uploaded in the admin, until their import has run: private, never served.
GACETA_IMPORTS_DIR = Path(os.environ.get("GACETA_IMPORTS_DIR", BASE_DIR / "imports"))
MEDIA_URL = os.environ.get("GACETA_MEDIA_URL", "/media/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Media on S3-compatible storage (AWS, Backblaze, MinIO…): `pip install -e ".[s3]"`, then set the
# bucket; credentials come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables.
if os.environ.get("GACETA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["GACETA_S3_BUCKET"],
            "endpoint_url": os.environ.get("GACETA_S3_ENDPOINT_URL") or None,
            "custom_domain": os.environ.get("GACETA_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail ---------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = os.environ.get("GACETA_SITE_NAME", "Gaceta")
# The one public address of the site: canonical links, structured data, feeds, sitemaps and emails
# all start with it. Without GACETA_BASE_URL it follows the port `make run` serves on (PORT).
GACETA_BASE_URL = (
    os.environ.get("GACETA_BASE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
).rstrip("/")
WAGTAILADMIN_BASE_URL = GACETA_BASE_URL
# The List-Id header's domain: the newsroom's host name.
GACETA_NEWSLETTER_LIST_DOMAIN = GACETA_BASE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# "Mexico" and "mexico" are one tag, whoever types it (editors, the WordPress import).
TAGGIT_CASE_INSENSITIVE = True

# --- Gaceta ----------------------------------------------------------------------------------------
# An article older than this many days carries a notice of its age above the headline.
GACETA_AGE_NOTICE_DAYS = int(os.environ.get("GACETA_AGE_NOTICE_DAYS", "365"))
# How many stories the archives (section, tag, author, search) show per page.
GACETA_ARCHIVE_PAGE_SIZE = int(os.environ.get("GACETA_ARCHIVE_PAGE_SIZE", "20"))
# Where the demo loader reads the seed page and the Wikinews corpus (the shared/ folder).
GACETA_DEMO_DATA = os.environ.get("GACETA_DEMO_DATA", str(BASE_DIR.parent / "shared"))

# Logs go to standard output; GACETA_LOG_FORMAT=json gives one JSON object a line (production).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "console": {"format": "%(asctime)s %(process)d %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(process)d %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": os.environ.get("GACETA_LOG_FORMAT", "console"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("GACETA_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# How many reverse proxies (nginx, a CDN) stand in front of the app and append to
# X-Forwarded-For; every rate limit, allauth's and Gaceta's, reads the reader's address from
# there through allauth's adapter. 0: use the socket's address.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("GACETA_TRUSTED_PROXIES", "0"))

# --- Ask ------------------------------------------------------------------------------------------
# Questions per period ("30/h": s, m, h or d) for readers without an account, free members and paid
# subscribers; staff can override them in Settings → Ask.
GACETA_ASK_RATES = {
    "anonymous": os.environ.get("GACETA_ASK_RATE_ANON", "30/h"),
    "free": os.environ.get("GACETA_ASK_RATE_MEMBER", "60/h"),
    "paid": os.environ.get("GACETA_ASK_RATE_PAID", "300/h"),
}
# An optional language model behind any OpenAI-compatible chat-completions endpoint (OpenAI,
# Perplexity Sonar, Ollama, vLLM, llama.cpp's server). Without a base URL and model, answers are
# extracted from the archive's own sentences.
# Ask's extractive reader: "learned" (trained scorer, answers/learned.py) or "rules" (the earlier
# hand-tuned answers/reader.py, for comparison: see benchmarks/RESULTS.md).
GACETA_ASK_READER = os.environ.get("GACETA_ASK_READER", "learned")
GACETA_ASK_LLM_BASE_URL = os.environ.get("GACETA_ASK_LLM_BASE_URL", "")
GACETA_ASK_LLM_MODEL = os.environ.get("GACETA_ASK_LLM_MODEL", "")
GACETA_ASK_LLM_API_KEY = os.environ.get("GACETA_ASK_LLM_API_KEY", "")
GACETA_ASK_LLM_TIMEOUT = float(os.environ.get("GACETA_ASK_LLM_TIMEOUT", "20"))
