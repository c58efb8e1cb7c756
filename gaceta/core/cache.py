"""Cached fragments and pages, retired by what changed.

Two counters decide whether something cached is still good:
- The content generation, for what every page shows (newsroom settings, sections in the
  navigation, bylines, view restrictions): raising it retires everything. Rare.
- Cache tags, one version per object: `page:12` (a page's own text), `comments:12` (an
  article's thread and comment count), `section:<path>` and `tag:<slug>` (those listings),
  `stories` (what is published anywhere: front page, feeds, sitemaps, "More stories") and
  `breaking` (the banner). A fragment names the tags it is built from and their versions are
  folded into its key; a whole page records the tags its parts named and is served only while
  their versions are unchanged (see page_cache.py). So a comment retires its own article's page
  (cards elsewhere show its count through a slot, core/slots.py), and a publish its article, its
  listings, the front page and the feeds.

Versions live in the database (`CacheTag`), read through the cache for at most `TAG_TTL`
seconds, so that every server process sees a change even when each keeps its own memory cache.
"""

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

T = TypeVar("T")

GENERATION_KEY = "gaceta:generation"
# How long a process may keep using a generation or a tag version it read: the most a change
# can take to show.
GENERATION_TTL = TAG_TTL = 2
FRAGMENT_TTL = 60 * 60
# What a page depends on when none of its parts named anything: everything published.
DEFAULT_TAGS = ("stories",)


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


def page_tag(page_id: int) -> str:
    """The tag of a page's own text (its body, headline, card)."""
    return f"page:{page_id}"


class Dependencies(dict):
    """What a response was built from: tag -> the version read before anything the tag names
    was read, so that what is stored under those versions can only be newer than them.

    `exact` is set by a view that names everything its page shows (`depends_only_on`); any
    other page also depends on `DEFAULT_TAGS`."""

    exact = False


_collecting: ContextVar[Dependencies | None] = ContextVar("gaceta_cache_dependencies", default=None)


@contextmanager
def collecting():
    """Within this block, `depends_on` and tagged fragments record their tags (yielded)."""
    dependencies = Dependencies()
    token = _collecting.set(dependencies)
    try:
        yield dependencies
    finally:
        _collecting.reset(token)


def _tag_key(tag: str) -> str:
    return f"gaceta:tag:{tag}"


def tag_versions(tags: Iterable[str]) -> dict[str, int]:
    """The current version of each tag (0 for one never raised): one cache read, and one query
    for those the cache no longer holds."""
    tags = list(dict.fromkeys(tags))
    if not tags:
        return {}
    found = cache.get_many([_tag_key(tag) for tag in tags])
    versions = {tag: found[_tag_key(tag)] for tag in tags if _tag_key(tag) in found}
    missing = [tag for tag in tags if tag not in versions]
    if missing:
        from .models import CacheTag

        read = dict(CacheTag.objects.filter(name__in=missing).values_list("name", "version"))
        fresh = {tag: read.get(tag, 0) for tag in missing}
        cache.set_many({_tag_key(tag): version for tag, version in fresh.items()}, TAG_TTL)
        versions.update(fresh)
    return versions


def depends_on(*tags: str) -> dict[str, int]:
    """Record that what is being built shows what `tags` name; call it before reading that.
    Returns the tags' versions (read once per response)."""
    dependencies = _collecting.get()
    if dependencies is None:
        return tag_versions(tags)
    dependencies.update(tag_versions(tag for tag in tags if tag not in dependencies))
    return {tag: dependencies[tag] for tag in tags}


def depends_only_on(*tags: str) -> None:
    """For a view: its page shows only what `tags` and the parts it renders name."""
    dependencies = _collecting.get()
    if dependencies is not None:
        dependencies.exact = True
    depends_on(*tags)


def versions_key(tags: Iterable[str]) -> str:
    """A key part for something built from `tags`: the generation and the tags' versions. The
    caller now depends on those tags."""
    versions = depends_on(*sorted(set(tags)))
    return ":".join([content_generation(), *(f"{tag}.{version}" for tag, version in versions.items())])


def bump(*tags: str) -> None:
    """Retire everything built from `tags`: raise their versions (once the transaction commits,
    every process reads the new ones)."""
    from .models import CacheTag

    tags = sorted(set(tags))
    if not tags:
        return
    CacheTag.objects.bulk_create([CacheTag(name=tag, version=0) for tag in tags], ignore_conflicts=True)
    CacheTag.objects.filter(name__in=tags).update(version=F("version") + 1)
    keys = [_tag_key(tag) for tag in tags]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def cached_fragment(
    key: str, produce: Callable[[], T], timeout: int | Callable[[T], int] = FRAGMENT_TTL, tags: Iterable[str] = ()
) -> T:
    """Return the cached value of `key` for the current generation (and versions of `tags`),
    producing it when missing.

    `timeout` may be a function of the value produced, for a value that expires by itself.
    """
    tags = list(tags)
    full_key = f"gaceta:{versions_key(tags) if tags else content_generation()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = produce()
        cache.set(full_key, value, timeout(value) if callable(timeout) else timeout)
    return value
