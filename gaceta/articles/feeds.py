"""RSS 2.0 feeds: the whole newsroom at /feed/ and each section at /<section>/feed/.

Django serves every request of /feed/ with one shared `Feed` instance, from many threads: nothing
about a request is kept on it. What a request needs travels in the object `get_object` returns,
and each story carries its own link.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from gaceta.core.addresses import absolute_url

from .models import ArticlePage

FEED_SIZE = 30


@dataclass(frozen=True)
class FeedRequest:
    """One request's feed: the section (None for the whole newsroom) and the request."""

    section: object
    request: object


class LatestStoriesFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, section=None):
        return FeedRequest(section, request)

    def title(self, obj):
        name = settings.WAGTAIL_SITE_NAME
        return f"{name}: {obj.section.title}" if obj.section else name

    def link(self, obj):
        return absolute_url(obj.section.url if obj.section else "/")

    def feed_url(self, obj):
        return absolute_url(obj.request.path)

    def description(self, obj):
        section = obj.section
        return section.intro if section and section.intro else f"The latest from {settings.WAGTAIL_SITE_NAME}."

    def items(self, obj):
        stories = ArticlePage.objects.for_cards().prefetch_related("bylines__author", "corrections")
        if obj.section is not None:
            stories = stories.child_of(obj.section)
        stories = list(stories[:FEED_SIZE])
        for story in stories:  # the request's site lookups, made once per story here
            story.feed_link = absolute_url(story.get_url(obj.request))
        return stories

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # The summary only: a feed never carries more than any reader may see.
        return item.dek

    def item_link(self, item):
        return item.feed_link

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        # A correction or update counts: the feed's lastBuildDate moves, and readers refetch.
        return item.modified_at

    def item_author_name(self, item):
        names = [byline.author.name for byline in item.bylines.all()]
        return ", ".join(names) or None

    def item_categories(self, item):
        return [item.section.title] if item.section else []
