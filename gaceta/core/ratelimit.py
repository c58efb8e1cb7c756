"""Fixed-window rate limits kept in the cache (Redis in production, so all workers share them:
production settings refuse to start without it unless the site runs one process)."""

import logging
import re
import time
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.shortcuts import render

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


def parse_rate(rate: str) -> tuple[int, int]:
    """"30/h" → (30, 3600); "5/10m" → (5, 600)."""
    match = _RATE.match(rate)
    if not match:
        raise ValueError(f"Not a rate: {rate!r}; write e.g. “30/h”.")
    return int(match[1]), int(match[2] or 1) * PERIODS[match[3]]


@dataclass
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until the window ends, when not allowed


def consume(key: str, limit: int, period: int) -> Verdict:
    """Count one use of `key`; refuse once `limit` uses fall in the current `period` window.

    When the cache is unreachable the use is allowed (and logged): a broken cache must not
    take the feature down with it.
    """
    now = time.time()
    window = int(now // period)
    full_key = f"gaceta:rate:{key}:{period}:{window}"
    try:
        if cache.add(full_key, 1, period + 1):
            used = 1
        else:
            used = cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.set(full_key, 1, period + 1)
        used = 1
    except Exception:  # noqa: BLE001 - any cache failure
        used = None
    if used is None:  # the cache failed, or (django-redis ignoring its errors) answered nothing
        logger.warning("rate limit cache unavailable; allowing %s", key, exc_info=True)
        return Verdict(True)
    if used > limit:
        return Verdict(False, max(1, int((window + 1) * period - now) + 1))
    return Verdict(True)


def client_ip(request) -> str:
    """The reader's address, read as allauth reads it for its own limits (one source): behind
    ALLAUTH_TRUSTED_PROXY_COUNT proxies, from X-Forwarded-For; otherwise the socket's."""
    return get_adapter(request).get_client_ip(request)


def too_many_requests(request, template_name: str, context: dict, retry_after: int):
    """A page that says the limit was reached, with the Retry-After header every limit sends."""
    response = render(request, template_name, {**context, "retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
