"""Caches retired by what changed (core/cache.py): a comment retires its article and the cards
showing its count, a publish its article, its listings, the front page and the feeds; every
other cached page and fragment stays in place."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gaceta.comments.models import Comment
from gaceta.core import slots
from tests.conftest import local, publish_article

pytestmark = pytest.mark.django_db


def count_on_card(html: str, title: str) -> int:
    """The comment count on the card of the story `title`."""
    card = re.search(rf'>{re.escape(title)}</a>.*?class="card__comments"[^>]*><svg.*?</svg>(\d+)<', html, re.S)
    assert card, f"no card for {title}"
    return int(card[1])


def read(client, url):
    """A page as an anonymous reader gets it, and the queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries]


@pytest.fixture
def newsroom(sections):
    politics, business = sections["politics"], sections["business"]
    stories = {
        "commented": publish_article(politics, "Commented story", published_at=local(2025, 3, 1)),
        "neighbour": publish_article(politics, "Neighbour story", published_at=local(2025, 2, 1)),
    }
    # A business story whose "More stories" are three others sharing its tag: no politics card.
    for n in range(3):
        publish_article(business, f"Markets {n}", tags=["markets"], published_at=local(2025, 1, n + 1))
    stories["elsewhere"] = publish_article(business, "Elsewhere story", tags=["markets"], published_at=local(2024, 1, 1))
    return stories


def test_a_comment_updates_its_article_and_its_cards_and_leaves_everything_else_cached(client, newsroom):
    commented, neighbour, elsewhere = newsroom["commented"], newsroom["neighbour"], newsroom["elsewhere"]
    pages = [commented.url, neighbour.url, elsewhere.url, "/politics/", "/business/", "/"]
    for url in pages:
        read(client, url)
    assert "Commented story" in read(client, neighbour.url)[0].text  # among its "More stories"

    Comment.objects.create(article=commented, body="First!", status=Comment.Status.PUBLISHED)

    # Its own page, at once: readers who may not read the thread see its count, filled in.
    response, queries = read(client, commented.url)
    assert 'Comments <span class="count">(1)</span>' in response.text and response["X-Page-Cache"] == "hit"
    counted = [sql for sql in queries if "comments_comment" in sql]
    # The cards that show its count, at once, on pages that stay cached: only the new count is
    # read, once for all of them.
    for url in ["/politics/", "/", neighbour.url]:
        response, queries = read(client, url)
        assert response["X-Page-Cache"] == "hit", url
        assert count_on_card(response.text, "Commented story") == 1
        assert not [sql for sql in queries if "articles_articlepage" in sql], url
        counted += [sql for sql in queries if "comments_comment" in sql]
    assert len(counted) == 1
    # Pages that show neither the story nor its count stay as they were cached, counts included.
    for url in [elsewhere.url, "/business/"]:
        response, queries = read(client, url)
        assert response["X-Page-Cache"] == "hit" and queries == [], url


def test_a_publish_updates_front_page_section_tag_and_feed_and_not_other_sections(client, newsroom):
    pages = ["/", "/politics/", "/tags/markets/", "/feed/", "/business/"]
    for url in pages:
        read(client, url)
    assert read(client, "/business/")[0]["X-Page-Cache"] == "hit"

    publish_article(newsroom["commented"].get_parent(), "Fresh politics story", tags=["markets"])

    for url in ["/", "/politics/", "/tags/markets/", "/feed/"]:
        response, _ = read(client, url)
        assert response["X-Page-Cache"] == "miss" and "Fresh politics story" in response.text, url
    response, queries = read(client, "/business/")
    assert response["X-Page-Cache"] == "hit" and queries == []


def test_a_story_that_loses_a_tag_leaves_that_tag_s_listing(client, sections):
    story = publish_article(sections["politics"], "Tagged story", tags=["elections", "mexico"])
    assert "Tagged story" in client.get("/tags/elections/").text
    story.tags.set(["mexico"])
    story.save_revision().publish()
    assert "Tagged story" not in client.get("/tags/elections/").text
    assert "Tagged story" in client.get("/tags/mexico/").text


def test_an_unpublished_story_leaves_its_section_listing(client, newsroom):
    assert "Neighbour story" in client.get("/politics/").text
    newsroom["neighbour"].unpublish()
    assert "Neighbour story" not in client.get("/politics/").text


def test_filled_pages_say_their_own_length(client, newsroom):
    for _ in range(2):  # built, then from the page cache
        response = client.get("/politics/")
        assert b"<!--slot:" not in response.content
        assert response["Content-Length"] == str(len(response.content))


def test_slots_are_filled_once_per_kind_and_text_cannot_make_one(client, sections):
    publish_article(sections["politics"], "<!--slot:comment-count:1--> headline")
    html = client.get("/politics/").text
    assert "&lt;!--slot:comment-count:1--&gt; headline" in html and "<!--slot:" not in html
    calls = []
    slots.register("test-kind", lambda ids: calls.append(ids) or {pk: f"<b>{pk}</b>" for pk in ids})
    filled = slots.fill(b"<!--slot:test-kind:2--><!--slot:test-kind:1--><!--slot:test-kind:2--><!--slot:unknown:3-->")
    assert filled == b"<b>2</b><b>1</b><b>2</b>" and calls == [[1, 2]]


def test_ask_reads_the_preview_of_a_locked_story_as_it_is_now_after_an_edit(sections):
    from gaceta.search.retrieval import _preview_texts

    story = publish_article(sections["politics"], "Locked story", visibility="paid",
                            paragraphs=["Old opening sentence.", "Second.", "Third.", "Fourth.", "Fifth."])
    assert "Old opening sentence." in _preview_texts({story.pk})[story.pk]
    story.body = [("paragraph", f"<p>{text}</p>") for text in ["New opening sentence.", "Second.", "Third.", "Fourth.", "Fifth."]]
    story.save_revision().publish()
    texts = _preview_texts({story.pk})[story.pk]
    assert "New opening sentence." in texts and "Old opening sentence." not in texts
