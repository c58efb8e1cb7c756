"""The preview rule: a small share of a locked story, the same on the page, in search and in Ask."""

import json
import re

import pytest
from django.utils.html import strip_tags

from gaceta.search.models import Passage
from gaceta.articles.preview import PreviewCut, preview_cut, preview_texts
from tests.conftest import publish_article

LONG = "One two three four five six seven eight nine ten."  # ten words


@pytest.fixture(autouse=True)
def rule(settings):
    settings.GACETA_PREVIEW_PARAGRAPHS = 3
    settings.GACETA_PREVIEW_MAX_SHARE = 0.3


def test_a_long_story_shows_its_opening_paragraphs_up_to_the_limit():
    assert preview_cut([LONG] * 20) == PreviewCut(3)


def test_a_short_story_shows_no_more_than_its_share_of_words():
    # 40 words: the share allows 12: one paragraph, and none of the next (ten words more).
    assert preview_cut([LONG] * 4) == PreviewCut(1)


def test_a_paragraph_is_cut_by_whole_sentences():
    texts = ["Alpha beta. Gamma delta epsilon. Zeta eta theta iota kappa lambda.", LONG, LONG]  # 31 words
    assert preview_cut(texts) == PreviewCut(0, 2)
    assert preview_texts(texts, PreviewCut(0, 2)) == ["Alpha beta. Gamma delta epsilon."]


def test_at_least_the_first_sentence_is_shown():
    long_sentence = f"{LONG[:-1]} {LONG}"  # one sentence of twenty words
    texts = [f"{long_sentence} Second.", LONG]
    assert preview_cut(texts) == PreviewCut(0, 1)
    assert preview_texts(texts, PreviewCut(0, 1)) == [long_sentence]
    assert preview_cut(["Only one sentence here.", LONG, LONG]) == PreviewCut(1)  # a whole paragraph


def test_an_editors_preview_break_decides():
    assert preview_cut([LONG] * 20, break_after=5) == PreviewCut(5)
    assert preview_cut([LONG] * 4, break_after=0) == PreviewCut(0)


def words_shown(html: str) -> int:
    body = re.search(r'<div class="article__body article__body--preview">(.*?)</div>', html, re.S).group(1)
    return len(strip_tags(body).split())


@pytest.mark.django_db
def test_the_page_index_and_search_show_the_same_preview(client, sections):
    paragraphs = [
        "Alpha beta gamma opened the session. The council voted on the budget after midnight.",
        "Delegates from Sonora walked out. They returned an hour later.",
        "The final tally was 31 to 12, said the clerk.",
        "SECRET-PARAGRAPH with the vote of each delegate.",
    ]
    story = publish_article(sections["politics"], "Budget passes", paragraphs=paragraphs, visibility="paid")
    total = sum(len(text.split()) for text in paragraphs)
    html = client.get(story.url).text
    assert 0 < words_shown(html) <= 0.3 * total
    assert "Alpha beta gamma opened the session." in html
    assert "The council voted" not in html and "SECRET-PARAGRAPH" not in html
    preview_passages = [p.text for p in Passage.objects.filter(article=story, is_preview=True, position__gt=0)]
    assert preview_passages == ["Alpha beta gamma opened the session."]
    assert "Budget passes" in client.get("/search/", {"q": "alpha gamma session"}).text
    assert "Budget passes" not in client.get("/search/", {"q": "council midnight"}).text
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["isAccessibleForFree"] is False and data["hasPart"]["isAccessibleForFree"] is False


@pytest.mark.django_db
def test_a_preview_break_in_the_body_ends_the_preview(client, sections):
    story = publish_article(sections["politics"], "Break story", paragraphs=[LONG] * 6, visibility="members")
    story.body = [("paragraph", f"<p>{LONG}</p>")] * 4 + [("preview_break", None)] + [("paragraph", "<p>AFTER-BREAK.</p>")]
    story.save_revision().publish()
    html = client.get(story.url).text
    assert html.count("One two three") == 4 and "AFTER-BREAK" not in html
    assert Passage.objects.filter(article=story, is_preview=True, position__gt=0).count() == 4


@pytest.mark.django_db
def test_structured_data_points_at_the_part_after_the_preview(client, sections, paid_member):
    paragraphs = ["Opening words of the story here.", "More words follow in the middle.", "CLOSING-PARAGRAPH."]
    story = publish_article(sections["politics"], "Split story", paragraphs=paragraphs, visibility="paid")
    client.force_login(paid_member)
    html = client.get(story.url).text
    restricted = re.search(r'<div class="article__body--restricted">(.*?)</div>', html, re.S).group(1)
    assert "CLOSING-PARAGRAPH." in restricted and "More words follow" in restricted
    assert "Opening words" not in restricted and "Opening words" in html
