"""Fragment caching keyed by the content generation.

Pages are assembled from pieces (section navigation, story lists, the footer) that change only
when an editor publishes, unpublishes or edits something. Each piece is cached under a key that
includes the current generation, so raising the generation retires every piece at once.
"""

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import F

T = TypeVar("T")

GENERATION_KEY = "gaceta:generation"
# How long a process may keep using a generation it read: the most a change can take to show.
GENERATION_TTL = 2
FRAGMENT_TTL = 60 * 60


def content_generation() -> str:
    """The generation, and the values of the settings that change what pages show
    (`GACETA_CACHE_KEY_SETTINGS`): a piece cached before a restart with other values, in a cache
    that outlives the process, is never served after it."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        from .models import ContentGeneration

        row, _ = ContentGeneration.objects.get_or_create(pk=1)
        value = row.value
        cache.set(GENERATION_KEY, value, GENERATION_TTL)
    return ".".join([str(value), *(str(getattr(settings, name)) for name in settings.GACETA_CACHE_KEY_SETTINGS)])


def bump_content_generation() -> None:
    from .models import ContentGeneration

    updated = ContentGeneration.objects.filter(pk=1).update(value=F("value") + 1)
    if not updated:
        ContentGeneration.objects.create(pk=1, value=1)
    cache.delete(GENERATION_KEY)


def cached_fragment(
    key: str, produce: Callable[[], T], timeout: int | Callable[[T], int] = FRAGMENT_TTL
) -> T:
    """Return the cached value of `key` for the current generation, producing it when missing.

    `timeout` may be a function of the value produced, for a value that expires by itself.
    """
    full_key = f"gaceta:{content_generation()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = produce()
        cache.set(full_key, value, timeout(value) if callable(timeout) else timeout)
    return value
