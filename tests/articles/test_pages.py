import re

import pytest
import time_machine

from gaceta.comments.models import Comment
from tests.conftest import local, publish_article

pytestmark = pytest.mark.django_db


@time_machine.travel("2025-11-25 03:30:00+00:00", tick=False)
def test_front_page_shows_the_day_in_the_newsroom_time_zone(client, sections):
    # 03:30 UTC on the 25th is still Monday the 24th in Mexico City.
    publish_article(sections["politics"], "A story")
    response = client.get("/")
    assert response.status_code == 200
    assert "Monday, November 24, 2025" in response.text
    assert "Tuesday, November 25, 2025" not in response.text


def test_front_page_leads_with_the_pinned_story_then_latest_and_sections(client, front_page, sections):
    old = publish_article(sections["politics"], "Pinned investigation", published_at=local(2024, 1, 1))
    latest = [publish_article(sections["business"], f"Market story {n}", published_at=local(2025, 6, n + 1)) for n in range(6)]
    pinned_top = publish_article(sections["politics"], "Pinned analysis", published_at=local(2023, 1, 1))
    front_page.lead_story = old
    front_page.pinned_stories.create(article=pinned_top)
    front_page.save_revision().publish()
    html = client.get("/").text
    lead = html.index("card--lead")
    top = html.index('class="front-top__more"')
    assert lead < html.index("Pinned investigation") < top < html.index("Pinned analysis") < html.index("Market story 5")
    for story in latest:
        assert story.title in html
    assert re.search(r'<h2 id="section-business"[^>]*><a href="/business/">Business</a>', html)


def test_article_page_shows_every_part_of_the_story(client, sections, author, sources, image):
    article = publish_article(
        sections["politics"],
        "US sends 12 soldiers for joint training exercises",
        dek="A joint exercise, not a mission against cartels.",
        paragraphs=["The exercise began on Thursday.", "It ends on May 11."],
        authors=[author],
        sources=sources,
        image=image,
        lead_image_caption="Mexican soldiers training.",
        lead_image_credit="@Sedena/Twitter",
        dateline="Saucillo, Chihuahua",
        tags=["Mexico", "Military"],
        published_at=local(2025, 4, 6, 10, 15),
    )
    html = client.get(article.url).text
    assert "<h1 class=\"article__headline\">US sends 12 soldiers for joint training exercises</h1>" in html
    assert "A joint exercise, not a mission against cartels." in html
    assert 'href="/authors/ana-reportera/">Ana Reportera</a>' in html
    assert "Saucillo, Chihuahua" in html
    assert "April 6, 2025, 10:15 a.m." in html  # in the newsroom's time zone, not UTC (16:15)
    assert "Mexican soldiers training. <span class=\"credit\">(@Sedena/Twitter)</span>" in html
    assert 'With reports from Infobae and <a href="https://www.eleconomista.com.mx/" rel="noopener">El Economista</a>' in html
    assert 'href="/tags/mexico/">Mexico</a>' in html
    assert "<p>The exercise began on Thursday.</p>" in html


def test_a_dek_the_body_opens_with_is_shown_once(client, sections):
    """An import whose summary is its first sentence (or a story that is only its summary)."""
    opening = "Seven of eight bodyguards were arrested on Monday."
    repeated = publish_article(sections["politics"], "Bodyguards arrested", dek=opening,
                               paragraphs=[f"{opening} The mayor was killed in November."])
    html = client.get(repeated.url).content.decode()
    story = html[html.index("<article"):html.index("</article>")]  # what the reader reads (not the meta tags)
    assert story.count(opening) == 1 and 'class="article__dek"' not in story
    own = publish_article(sections["politics"], "Harbour reopens", dek="Ships are back after the storm.",
                          paragraphs=["The harbour reopened on Tuesday."])
    html = client.get(own.url).content.decode()
    assert '<p class="article__dek">Ships are back after the storm.</p>' in html
    assert "Seven of eight bodyguards" in client.get("/").content.decode()  # the card keeps its summary


def test_comment_count_is_the_number_of_published_comments(client, sections):
    article = publish_article(sections["politics"], "Commented story")
    Comment.objects.create(article=article, body="Yes", status=Comment.Status.PUBLISHED)
    Comment.objects.create(article=article, body="No", status=Comment.Status.PUBLISHED)
    Comment.objects.create(article=article, body="Awaiting", status=Comment.Status.PENDING)
    html = client.get(article.url).text
    assert 'Comments <span class="count">(2)</span>' in html


@time_machine.travel("2025-11-24 18:00:00+00:00", tick=False)
def test_old_articles_say_how_old_they_are(client, sections, settings):
    settings.GACETA_AGE_NOTICE_DAYS = 365
    old = publish_article(sections["politics"], "Old story", published_at=local(2023, 4, 6))
    recent = publish_article(sections["politics"], "Recent story", published_at=local(2025, 11, 1))
    assert "Published April 6, 2023: more than 2 years ago" in client.get(old.url).text
    assert "age-notice" not in client.get(recent.url).text


def test_section_archive_pages_back_in_time_by_keyset(client, sections, settings):
    settings.GACETA_ARCHIVE_PAGE_SIZE = 2
    for n in range(5):
        publish_article(sections["politics"], f"Politics story {n}", published_at=local(2025, 1, n + 1))
    publish_article(sections["business"], "Business story")
    seen, url = [], "/politics/"
    while url:
        html = client.get(url).text
        seen += re.findall(r">(Politics story \d)</a>", html)
        assert "Business story" not in html
        older = re.search(r'href="\?before=([0-9-]+)">Older stories', html)
        url = f"/politics/?before={older.group(1)}" if older else None
    assert seen == [f"Politics story {n}" for n in (4, 3, 2, 1, 0)]
    assert client.get("/politics/?before=junk").status_code == 400  # says so, rather than show page 1


def test_search_results_are_numbered_pages(client, sections, settings):
    settings.GACETA_ARCHIVE_PAGE_SIZE = 2
    for n in range(5):
        publish_article(sections["politics"], f"Decree number {n}", paragraphs=["A decree."])
    first = client.get("/search/", {"q": "decree"}).text
    assert "Page 1 of 3" in first and "5 results" in first
    assert client.get("/search/", {"q": "decree", "page": 3}).status_code == 200


def test_tag_and_author_archives_list_their_stories(client, sections, author):
    publish_article(sections["politics"], "Tagged and written", tags=["Elections"], authors=[author])
    publish_article(sections["politics"], "Neither")
    tag_page = client.get("/tags/elections/").text
    assert "Tagged and written" in tag_page and "Neither" not in tag_page
    author_page = client.get("/authors/ana-reportera/").text
    assert "Tagged and written" in author_page and "Neither" not in author_page
    assert "Covers politics." in author_page
    assert client.get("/tags/no-such-tag/").status_code == 404
    assert client.get("/authors/nobody/").status_code == 404


def test_search_finds_articles_by_their_words(client, sections):
    publish_article(sections["politics"], "Senate approves decree", paragraphs=["The gazette published the decree."])
    publish_article(sections["business"], "Tortilla prices rise")
    html = client.get("/search/", {"q": "decree"}).text
    assert "Senate approves decree" in html and "Tortilla prices rise" not in html
    assert "1 result for" in html
    empty = client.get("/search/", {"q": "zzzyyyxxx"}).text
    assert "Nothing in the archive matches" in empty


def test_drafts_and_unpublished_articles_are_not_served(client, sections):
    article = publish_article(sections["politics"], "Soon gone")
    assert client.get(article.url).status_code == 200
    article.unpublish()
    assert client.get(article.url).status_code == 404
    assert "Soon gone" not in client.get("/").text
    assert "Soon gone" not in client.get("/politics/").text


def test_articles_cannot_take_a_section_route_slug(sections):
    from django.core.exceptions import ValidationError

    from gaceta.articles.models import ArticlePage

    article = ArticlePage(title="Feed", slug="feed", dek="x", body=[])
    with pytest.raises(ValidationError):
        sections["politics"].add_child(instance=article)


def test_publishing_updates_the_front_page_at_once(client, sections):
    publish_article(sections["politics"], "First story")
    assert "First story" in client.get("/").text
    article = publish_article(sections["politics"], "Breaking story")
    assert "Breaking story" in client.get("/").text
    article.unpublish()
    assert "Breaking story" not in client.get("/").text
