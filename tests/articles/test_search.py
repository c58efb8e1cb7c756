"""The search page as readers use it: stemmed words, recent stories first, filters, counts."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import local, publish_article

pytestmark = pytest.mark.django_db


def titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="card__title">(?:<span[^>]*>[^<]*</span> )?<a href="[^"]+">([^<]+)</a>', html)


def test_words_are_matched_by_their_stem(client, sections):
    publish_article(sections["politics"], "Chile elects first woman President", paragraphs=["Michelle Bachelet won."],
                    published_at=local(2006, 1, 15))
    publish_article(sections["politics"], "Chile's copper output rises", paragraphs=["Mines in the north."])
    html = client.get("/search/", {"q": "Chile election"}).text
    assert titles(html) == ["Chile elects first woman President"]  # every word, in any of its forms
    assert "1 result for “Chile election”" in html


def test_new_stories_rank_ahead_of_old_ones_that_match_as_well(client, sections):
    old = publish_article(sections["politics"], "Mexico votes", paragraphs=["Mexico went to the polls."], published_at=local(2006, 7, 2))
    new = publish_article(sections["politics"], "Mexico votes again", paragraphs=["Mexico went to the polls."],
                          published_at=timezone.now() - timedelta(days=2))
    assert titles(client.get("/search/", {"q": "Mexico"}).text) == [new.title, old.title]


def test_relevance_or_newest_first(client, sections):
    relevant = publish_article(sections["politics"], "Tariff talks on tariffs", dek="Tariffs, tariffs and tariffs.",
                               paragraphs=["Tariffs dominate the tariff talks."], published_at=local(2024, 3, 1))
    passing = publish_article(sections["business"], "Markets close higher", paragraphs=["A tariff was mentioned once."],
                              published_at=local(2024, 3, 5))
    assert titles(client.get("/search/", {"q": "tariff"}).text) == [relevant.title, passing.title]
    html = client.get("/search/", {"q": "tariff", "order": "newest"}).text
    assert titles(html) == [passing.title, relevant.title]
    assert '<option value="newest" selected>' in html


def test_filters_by_section_and_dates_keep_what_was_asked(client, sections):
    publish_article(sections["politics"], "Drought in the north", paragraphs=["The drought goes on."], published_at=local(2024, 1, 10))
    publish_article(sections["business"], "Drought hits farm prices", paragraphs=["The drought raises prices."], published_at=local(2024, 2, 10))
    publish_article(sections["politics"], "Drought ends", paragraphs=["Rain ends the drought."], published_at=local(2024, 3, 31, 23, 30))
    html = client.get("/search/", {"q": "drought", "section": "politics"}).text
    assert sorted(titles(html)) == ["Drought ends", "Drought in the north"]
    assert "2 results for “drought” in Politics" in html
    assert 'value="drought"' in html and '<option value="politics" selected>' in html
    # Both dates included, in the newsroom's time zone (23:30 on March 31 is April 1 in UTC).
    html = client.get("/search/", {"q": "drought", "published_from": "2024-02-01", "published_to": "2024-03-31"}).text
    assert sorted(titles(html)) == ["Drought ends", "Drought hits farm prices"]
    assert 'value="2024-02-01"' in html and 'value="2024-03-31"' in html


def test_a_bad_date_is_a_clear_error_that_keeps_the_query(client, sections):
    response = client.get("/search/", {"q": "drought", "published_from": "31/02/2024"})
    assert response.status_code == 400
    assert "Enter a valid date." in response.text and 'value="drought"' in response.text
    response = client.get("/search/", {"q": "drought", "published_from": "2024-03-01", "published_to": "2024-02-01"})
    assert response.status_code == 400 and "comes before the start date" in response.text


def test_without_a_story_holding_every_word_stories_with_some_are_shown(client, sections):
    publish_article(sections["politics"], "Senate approves decree", paragraphs=["The gazette published it."])
    html = client.get("/search/", {"q": "decree tortilla"}).text
    assert titles(html) == ["Senate approves decree"]
    assert "no story has all of these words" in html


def test_pages_of_results_keep_the_filters(client, sections, settings):
    settings.GACETA_ARCHIVE_PAGE_SIZE = 1
    for n in range(3):
        publish_article(sections["politics"], f"Flood {n}", paragraphs=["A flood."], published_at=local(2024, 5, n + 1))
    html = client.get("/search/", {"q": "flood", "order": "newest", "section": "politics"}).text
    assert re.search(r'href="\?q=flood&amp;order=newest&amp;section=politics&amp;page=2"', html)


def test_words_in_many_stories_rank_only_the_newest_and_a_rare_word_reaches_the_whole_archive(client, sections, monkeypatch):
    """Ranking costs what matches: past the budget only the newest passages are ranked (the count
    says "more than"); a required rare word keeps old stories in reach."""
    from django.core.cache import cache

    from gaceta.search import archive

    oldest = publish_article(sections["politics"], "Sheehan meets the government", paragraphs=["Cindy Sheehan spoke."],
                             published_at=local(2005, 8, 1))
    old = publish_article(sections["politics"], "Government election called", paragraphs=["The election is set."],
                          published_at=local(2006, 1, 1))
    newer = [publish_article(sections["politics"], f"Government election update {n}", paragraphs=["The election nears."],
                             published_at=local(2024, 1, 1 + n)) for n in range(6)]
    cache.clear()
    monkeypatch.setattr(archive, "RANK_BUDGET", 4)
    html = client.get("/search/", {"q": "government election"}).text
    found = titles(html)
    assert old.title not in found and found and set(found) <= {story.title for story in newer}
    assert "More than" in html
    assert "Choose a section or dates above to find the others." in html  # the last page says how to reach them
    assert titles(client.get("/search/", {"q": "Sheehan government"}).text) == [oldest.title]
    monkeypatch.setattr(archive, "RANK_BUDGET", 10_000)
    cache.clear()  # the page itself was cached
    html = client.get("/search/", {"q": "government election"}).text
    assert old.title in titles(html) and "find the others" not in html
