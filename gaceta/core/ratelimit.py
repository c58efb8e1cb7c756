"""Fixed-window rate limits kept in the cache (Redis in production, so all workers share them)."""

import logging
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

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
        logger.warning("rate limit cache unavailable; allowing %s", key, exc_info=True)
        return Verdict(True)
    if used > limit:
        return Verdict(False, max(1, int((window + 1) * period - now) + 1))
    return Verdict(True)


def client_ip(request) -> str:
    """The reader's address; behind GACETA_TRUSTED_PROXIES proxies, read from X-Forwarded-For."""
    proxies = settings.GACETA_TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
