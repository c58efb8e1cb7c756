"""Paid text reaches only readers who may read it: not the HTML, feeds, search or sitemaps."""

import json
import re

import pytest

from tests.conftest import publish_article

pytestmark = pytest.mark.django_db

PARAGRAPHS = [f"Opening paragraph {n}." for n in range(1, 4)] + ["HIDDEN-PARAGRAPH-FOUR.", "HIDDEN-PARAGRAPH-FIVE."]


@pytest.fixture(autouse=True)
def three_paragraph_previews(settings):
    """Previews of three whole paragraphs, whatever their share of these short stories."""
    settings.GACETA_PREVIEW_PARAGRAPHS = 3
    settings.GACETA_PREVIEW_MAX_SHARE = 1.0


@pytest.fixture
def paid_story(sections):
    return publish_article(sections["politics"], "Paid investigation", dek="What the investigation found.",
                           paragraphs=PARAGRAPHS, visibility="paid")


@pytest.fixture
def members_story(sections):
    return publish_article(sections["politics"], "Members story", paragraphs=PARAGRAPHS, visibility="members")


def assert_preview_only(html: str):
    assert "Paid investigation" in html or "Members story" in html
    for n in range(1, 4):
        assert f"Opening paragraph {n}." in html
    assert "HIDDEN-PARAGRAPH" not in html


def test_anonymous_readers_see_the_opening_and_a_call_to_subscribe(client, paid_story):
    html = client.get(paid_story.url).text
    assert_preview_only(html)
    assert "What the investigation found." in html
    assert "Subscribe to keep reading" in html and 'href="/subscribe/"' in html


def test_free_members_see_the_preview_of_paid_stories_and_all_of_members_stories(client, free_member, paid_story, members_story):
    client.force_login(free_member)
    assert_preview_only(client.get(paid_story.url).text)
    full = client.get(members_story.url).text
    assert "HIDDEN-PARAGRAPH-FIVE." in full and "Keep reading for free" not in full


def test_members_stories_ask_anonymous_readers_to_sign_up(client, members_story):
    html = client.get(members_story.url).text
    assert_preview_only(html)
    assert "Sign up free" in html


def test_paid_members_read_everything(client, paid_member, paid_story):
    client.force_login(paid_member)
    html = client.get(paid_story.url).text
    assert "HIDDEN-PARAGRAPH-FOUR." in html and "HIDDEN-PARAGRAPH-FIVE." in html
    assert "Subscribe to keep reading" not in html


def test_a_paid_readers_page_is_not_served_to_the_next_anonymous_reader(client, paid_member, paid_story):
    client.force_login(paid_member)
    assert "HIDDEN-PARAGRAPH-FOUR." in client.get(paid_story.url).text
    client.logout()
    assert "HIDDEN-PARAGRAPH-FOUR." not in client.get(paid_story.url).text


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/feed/", "/politics/feed/", "/sitemap.xml", "/news-sitemap.xml", "/search/?q=investigation", "/search/?q=HIDDEN", "/", "/politics/"])
def test_no_other_output_carries_paid_text(client, free_member, paid_story, path):
    for reader in (None, free_member):
        if reader:
            client.force_login(reader)
        assert b"HIDDEN-PARAGRAPH" not in client.get(path).content, (path, reader)


def test_structured_data_marks_the_paywalled_part(client, paid_story):
    html = client.get(paid_story.url).text
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["isAccessibleForFree"] is False
    assert data["hasPart"]["isAccessibleForFree"] is False
    assert data["hasPart"]["cssSelector"] == ".article__body--restricted"
