"""Breaking news: a banner on every page and the front page's lead, until it ends by itself."""

from datetime import timedelta

import pytest
import time_machine

from tests.conftest import local, publish_article

pytestmark = pytest.mark.django_db

BANNER = 'class="breaking-banner"'


@pytest.fixture
def newsroom(front_page, sections):
    with time_machine.travel(local(2026, 3, 2, 9, 0), tick=False):
        pinned = publish_article(sections["business"], "Pinned analysis of the peso")
        other = publish_article(sections["politics"], "Another story")
        front_page.lead_story = pinned
        front_page.save_revision().publish()
        breaking = publish_article(sections["politics"], "Earthquake shakes Mexico City",
                                   breaking_until=local(2026, 3, 2, 12, 0))
    return {"pinned": pinned, "other": other, "breaking": breaking}


def lead_of(html):
    start = html.index('class="front-top__lead"')
    return html[start : html.index('class="front-top__more"')]


def test_a_breaking_story_is_on_every_page_and_leads_until_it_ends(client, newsroom):
    breaking = newsroom["breaking"]
    with time_machine.travel(local(2026, 3, 2, 11, 0), tick=False):
        for url in ["/", newsroom["other"].url, "/politics/", "/search/?q=peso", "/corrections/"]:
            html = client.get(url).text
            assert BANNER in html, url
            assert f'<a href="{breaking.url}">Earthquake shakes Mexico City</a>' in html
        assert "Earthquake shakes Mexico City" in lead_of(client.get("/").text)
        assert "Pinned analysis" not in lead_of(client.get("/").text)
        assert client.get("/").headers["X-Page-Cache"] == "hit"
    with time_machine.travel(local(2026, 3, 2, 12, 0) + timedelta(seconds=1), tick=False):
        # Nothing was published: the cached pages end by themselves.
        for url in ["/", newsroom["other"].url, "/politics/"]:
            assert BANNER not in client.get(url).text, url
        assert "Pinned analysis of the peso" in lead_of(client.get("/").text)


def test_pages_with_the_banner_are_kept_no_longer_than_it_lasts(client, newsroom, settings):
    settings.GACETA_SHARED_MAX_AGE = 300
    with time_machine.travel(local(2026, 3, 2, 11, 58) + timedelta(seconds=30), tick=False):
        response = client.get(newsroom["other"].url)
        control = response.headers["Cache-Control"]
        assert "s-maxage=90" in control and "max-age=60" in control
    with time_machine.travel(local(2026, 3, 2, 13, 0), tick=False):
        assert "s-maxage=300" in client.get("/politics/").headers["Cache-Control"]


def test_an_unpublished_breaking_story_leaves_no_banner(client, newsroom):
    with time_machine.travel(local(2026, 3, 2, 11, 0), tick=False):
        assert BANNER in client.get("/").text
        newsroom["breaking"].unpublish()
        assert BANNER not in client.get("/").text
