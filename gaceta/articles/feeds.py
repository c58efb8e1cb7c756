"""RSS 2.0 feeds: the whole newsroom at /feed/ and each section at /<section>/feed/."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from gaceta.core.addresses import absolute_url

from .models import ArticlePage

FEED_SIZE = 30


class LatestStoriesFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, section=None):
        self.request = request
        return section

    def title(self, section):
        name = settings.WAGTAIL_SITE_NAME
        return f"{name}: {section.title}" if section else name

    def link(self, section):
        return absolute_url(section.url if section else "/")

    def feed_url(self, section):
        return absolute_url(self.request.path)

    def description(self, section):
        return section.intro if section and section.intro else f"The latest from {settings.WAGTAIL_SITE_NAME}."

    def items(self, section):
        stories = ArticlePage.objects.for_cards().prefetch_related("bylines__author", "corrections")
        if section is not None:
            stories = stories.child_of(section)
        return stories[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # The summary only: a feed never carries more than any reader may see.
        return item.dek

    def item_link(self, item):
        return absolute_url(item.get_url(self.request))

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
