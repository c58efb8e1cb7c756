"""Gunicorn settings for `make serve` and the benchmarks. Each can be overridden from the
environment: GACETA_WORKERS, GACETA_BIND, GACETA_TIMEOUT."""

import gc
import multiprocessing
import os

bind = os.environ.get("GACETA_BIND", "127.0.0.1:" + os.environ.get("PORT", "8000"))
# Two workers per core: one can wait on the database while the other runs Python.
workers = int(os.environ.get("GACETA_WORKERS", multiprocessing.cpu_count() * 2))
timeout = int(os.environ.get("GACETA_TIMEOUT", "30"))
keepalive = 5
preload_app = True
accesslog = os.environ.get("GACETA_ACCESS_LOG") or None
errorlog = "-"


def when_ready(server):
    # Every view, the API's schemas and the URL patterns, imported and compiled once here,
    # before the workers fork: otherwise each worker's first request pays for it (about 0.75 s).
    from django.conf import settings
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 - reading it imports the URLconf and compiles it
    # Ask's models (spaCy, WordLlama), loaded once here, before the workers fork, share their pages.

    if settings.GACETA_ASK_READER == "learned":
        from gaceta.answers import nlp

        nlp.warm()
    # Objects loaded before forking never change; keeping them out of the collector's sight
    # avoids full collections that pause a worker for ~100 ms and unshare copy-on-write pages.
    gc.freeze()
