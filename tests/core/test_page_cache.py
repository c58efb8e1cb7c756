"""Anonymous pages are shared and cacheable; members' pages are private and fresh."""

import warnings

import pytest
from django.core.cache.backends.base import CacheKeyWarning
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_member, publish_article

pytestmark = pytest.mark.django_db
PAGES = ["/", "/politics/", "/feed/", "/search/?q=story"]


@pytest.fixture
def story(sections):
    return publish_article(sections["politics"], "Cached story")


@pytest.mark.parametrize("path", PAGES + ["story"])
def test_anonymous_pages_set_no_cookie_and_are_cacheable_by_a_cdn(client, story, path):
    response = client.get(story.url if path == "story" else path)
    assert response.status_code == 200
    assert not response.cookies
    control = response["Cache-Control"]
    assert "public" in control and "s-maxage=" in control and "stale-while-revalidate=" in control


def test_second_anonymous_request_comes_from_the_page_cache_without_queries(client, story):
    assert client.get(story.url)["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(story.url)
    assert response["X-Page-Cache"] == "hit" and len(queries) == 0
    assert "Cached story" in response.text


def test_etag_answers_304(client, story):
    first = client.get(story.url)
    assert first["ETag"]
    again = client.get(story.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_cached_pages_change_exactly_when_content_does(client, sections, story):
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    publish_article(sections["politics"], "Brand new story")
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss" and "Brand new story" in response.text
    story.title = "Cached story, corrected"
    story.save_revision().publish()
    assert "Cached story, corrected" in client.get(story.url).text


def test_members_get_private_fresh_pages_and_never_the_shared_copy(client, story):
    client.get(story.url)  # an anonymous copy is now cached
    member = make_member("m@example.org", paid=True)
    client.force_login(member)
    response = client.get(story.url)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert 'href="/account/">Your account</a>' in response.text
    client.logout()
    anonymous = client.get(story.url)
    assert 'href="/account/"' not in anonymous.text and ">Sign in</a>" in anonymous.text


def test_pages_that_set_a_cookie_are_not_shared(client, front_page):
    response = client.get("/accounts/login/")
    assert response.cookies and "X-Page-Cache" not in response


@pytest.mark.parametrize("tracking", [
    "utm_source=newsletter&utm_medium=email&utm_campaign=daily",
    "fbclid=IwAR0abc", "gclid=Cj0KCQ", "mc_cid=a1b2&mc_eid=c3d4", "ref=twitter", "UTM_Source=x",
])
def test_tracking_parameters_share_the_page_cache_entry(client, story, tracking):
    assert client.get(story.url)["X-Page-Cache"] == "miss"
    response = client.get(f"{story.url}?{tracking}")
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit"


def test_parameters_that_change_the_page_keep_their_own_entry(client, story):
    assert client.get("/search/?q=story")["X-Page-Cache"] == "miss"
    assert client.get("/search/?q=story&utm_source=x")["X-Page-Cache"] == "hit"
    assert client.get("/search/?q=other&utm_source=x")["X-Page-Cache"] == "miss"


def test_a_long_address_is_cached_under_a_key_every_backend_takes(client, story):
    """memcached takes keys of at most 250 characters; Django warns of longer ones."""
    long_query = "/search/?q=" + "harbour+" * 25  # 200 characters, a search it takes
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert client.get(long_query)["X-Page-Cache"] == "miss"
        assert client.get(long_query)["X-Page-Cache"] == "hit"
        assert client.get(long_query.replace("harbour+", "harbours", 1))["X-Page-Cache"] == "miss"
