"""The front page as a reader scans it: each story once, whole rows, access marked on cards."""

import re
from collections import Counter

import pytest

from gaceta.frontpage.models import whole_rows
from tests.conftest import local, make_image, publish_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(sections):
    """Twenty stories, alternating between the two sections, newest last."""
    return [
        publish_article(sections["politics" if n % 2 else "business"], f"Story {n:02d}", published_at=local(2025, 5, n + 1),
                        visibility={3: "members", 7: "paid"}.get(n, "public"), image=make_image(f"photo {n}") if n == 19 else None)
        for n in range(20)
    ]


def story_links(html: str) -> Counter:
    return Counter(re.findall(r'<h[23] class="card__title">(?:<span[^>]*>[^<]*</span> )?<a href="([^"]+)"', html))


@pytest.mark.slow
def test_each_story_appears_once(client, archive):
    html = client.get("/").text
    links = story_links(html)
    assert links and set(links.values()) == {1}
    # The section blocks still show what the lead and Latest did not.
    blocks = re.findall(r'<section class="front-section".*?</section>', html, re.S)
    assert len(blocks) == 2 and all(story_links(block) for block in blocks)


@pytest.mark.slow
def test_grids_fill_whole_rows(client, archive):
    html = client.get("/").text
    latest = re.search(r'<section class="front-latest".*?</section>', html, re.S)[0]
    assert len(story_links(latest)) == 6  # two rows of three, three rows of two
    for block in re.findall(r'<section class="front-section".*?</section>', html, re.S):
        assert len(story_links(block)) % 2 == 0


def test_whole_rows_leave_no_card_alone():
    assert whole_rows(list(range(7)), 6) == list(range(6))
    assert whole_rows(list(range(5)), 6) == list(range(4))
    assert whole_rows([1], 4) == [1]


@pytest.mark.slow
def test_cards_mark_stories_for_members_and_subscribers(client, archive):
    html = client.get("/").text
    assert re.search(r'<span class="access-label">Subscribers</span> <a href="[^"]*story-07/">', html)
    assert re.search(r'<span class="access-label access-label--members">Members</span> <a href="[^"]*story-03/">', html)
    assert html.count('class="access-label') == 2
    search = client.get("/search/", {"q": "Story"}).text  # every card, not only the front page's
    assert "Subscribers</span>" in search


@pytest.mark.slow
def test_the_lead_image_loads_first_and_times_have_no_microseconds(client, archive):
    html = client.get("/").text
    lead = re.search(r'<article class="card card--lead">.*?</article>', html, re.S)[0]
    assert 'fetchpriority="high"' in lead and 'loading="lazy"' not in lead
    assert html.count('fetchpriority="high"') == 1
    times = re.findall(r'datetime="([^"]+)"', html)
    assert times and all(re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d[+-]\d\d:\d\d)?", value) for value in times)


def test_articles_are_found_by_section_and_slug_and_nothing_else(client, sections):
    """The front page's own route (one query or the cache, not Wagtail's walk): a live story at
    /<section>/<slug>/, but not under another section, not once unpublished, and a section's
    sub-routes still answer."""
    story = publish_article(sections["politics"], "Routed story")
    assert story.url == "/politics/routed-story/"
    assert client.get("/politics/routed-story/").status_code == 200
    assert client.get("/business/routed-story/").status_code == 404
    assert client.get("/politics/no-such-story/").status_code == 404
    assert client.get("/politics/feed/")["Content-Type"].startswith("application/rss+xml")
    story.unpublish()
    assert client.get("/politics/routed-story/").status_code == 404  # the cached route is not kept
