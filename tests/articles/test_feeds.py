import threading

import feedparser
import pytest

from tests.conftest import local, publish_article

pytestmark = pytest.mark.django_db


def test_site_feed_is_valid_rss_with_the_latest_stories(client, sections, author):
    publish_article(sections["politics"], "Older", published_at=local(2025, 1, 1))
    publish_article(sections["business"], "Newer & <better>", dek="Markets rose.", authors=[author], published_at=local(2025, 2, 1))
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    assert [entry.title for entry in feed.entries] == ["Newer & <better>", "Older"]
    newest = feed.entries[0]
    assert newest.link == "http://testserver/business/newer-better/"
    assert newest.summary == "Markets rose."
    assert newest.author_detail.name == "Ana Reportera" or "Ana Reportera" in newest.get("author", "")
    assert newest.published_parsed[:3] == (2025, 2, 1)
    assert [tag.term for tag in newest.tags] == ["Business"]


def test_section_feed_has_only_that_section(client, sections):
    publish_article(sections["politics"], "Politics only")
    publish_article(sections["business"], "Business only")
    feed = feedparser.parse(client.get("/politics/feed/").content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Politics only"]
    assert feed.feed.title.endswith("Politics")


def test_feeds_carry_the_summary_never_the_body(client, sections):
    publish_article(sections["politics"], "Story", dek="The summary.", paragraphs=["SECRET BODY TEXT"])
    for path in ("/feed/", "/politics/feed/"):
        assert b"SECRET BODY TEXT" not in client.get(path).content


@pytest.mark.django_db(transaction=True)  # the threads' own connections see the stories
def test_one_feed_instance_serves_concurrent_requests_without_mixing_them(sections):
    """Django serves every /feed/ request with one Feed instance: two requests in flight at
    once, for the whole newsroom and for a section, each get their own address and stories."""
    from django.db import connection
    from django.test import RequestFactory

    from gaceta.articles.feeds import LatestStoriesFeed

    publish_article(sections["politics"], "Politics story")
    publish_article(sections["business"], "Business story")
    both_started = threading.Barrier(2, timeout=10)

    class FeedThatWaits(LatestStoriesFeed):
        """The shared instance, holding each request until the other has begun as well."""

        def get_object(self, request, section=None):
            found = super().get_object(request, section)
            both_started.wait()
            return found

    shared = FeedThatWaits()
    requests = {"/feed/": None, "/politics/feed/": sections["politics"]}
    results = {}

    def serve(path, section):
        try:
            results[path] = feedparser.parse(shared(RequestFactory().get(path), section=section).content)
        finally:
            connection.close()

    threads = [threading.Thread(target=serve, args=item) for item in requests.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    site, politics = results["/feed/"], results["/politics/feed/"]
    assert sorted(entry.title for entry in site.entries) == ["Business story", "Politics story"]
    assert [entry.title for entry in politics.entries] == ["Politics story"]
    self_links = {path: [link.href for link in feed.feed.links if link.rel == "self"] for path, feed in results.items()}
    assert self_links == {"/feed/": ["http://testserver/feed/"], "/politics/feed/": ["http://testserver/politics/feed/"]}
