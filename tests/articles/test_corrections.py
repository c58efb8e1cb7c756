"""Corrections, clarifications and updates: on the story, in its data, feeds and a public list."""

import json
import re

import feedparser
import pytest
import time_machine
from django.contrib.auth import get_user_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from gaceta.articles.models import ArticleCorrection, ArticlePage
from tests.conftest import local, publish_article

pytestmark = pytest.mark.django_db


def json_ld(html):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])


def add_note(article, kind, text, noted_at):
    """As an editor does in the admin: the note is part of the page, published with it."""
    article = ArticlePage.objects.get(pk=article.pk)
    article.corrections.add(ArticleCorrection(kind=kind, text=text, noted_at=noted_at))
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


@pytest.fixture
def editor_client(client):
    client.force_login(get_user_model().objects.create_superuser("chief", "chief@example.org", "pw-for-tests"))
    return client


def test_an_editor_adds_a_correction_in_the_admin_and_it_leads_the_story(editor_client, client, sections):
    story = publish_article(sections["politics"], "Senate approves the budget", paragraphs=["The vote was on Tuesday."],
                            published_at=local(2025, 5, 6, 9, 0))
    data = nested_form_data({
        "title": story.title, "slug": story.slug, "dek": story.dek,
        "body": streamfield([("paragraph", rich_text("<p>The vote was on Wednesday.</p>"))]),
        "bylines": inline_formset([]), "sources": inline_formset([]),
        "corrections": inline_formset([{
            "kind": "correction",
            "text": "An earlier version of this story said the vote was on Tuesday. It was on Wednesday.",
            "noted_at": "2025-05-07 10:30",
        }]),
        "visibility": "public", "comment_mode": "open", "action-publish": "publish",
    })
    with time_machine.travel(local(2025, 5, 7, 10, 30), tick=False):
        response = editor_client.post(f"/admin/pages/{story.pk}/edit/", data)
    assert response.status_code == 302, response.content[-3000:]
    client.logout()
    html = client.get(story.url).text
    note = html.index('class="article-note article-note--correction"')
    assert html.index("article__headline") < note < html.index("The vote was on Wednesday.")
    assert re.search(r"Correction</span>, <time datetime=\"2025-05-07T10:30:00-06:00\">May 7, 2025</time>: An earlier version", html)
    assert "Updated <time datetime=\"2025-05-07T10:30:00-06:00\">" in html
    data = json_ld(html)
    assert data["dateModified"] == "2025-05-07T10:30:00-06:00"
    assert data["correction"] == [{
        "@type": "CorrectionComment",
        "text": "An earlier version of this story said the vote was on Tuesday. It was on Wednesday.",
        "datePublished": "2025-05-07T10:30:00-06:00",
    }]


@time_machine.travel("2025-06-01 15:00:00+00:00", tick=False)
def test_a_note_refreshes_the_cached_story_and_the_feed(client, sections):
    story = publish_article(sections["politics"], "Water cuts in Iztapalapa", published_at=local(2025, 5, 30, 8, 0))
    assert client.get(story.url).headers.get("X-Page-Cache") == "miss"
    assert client.get(story.url).headers.get("X-Page-Cache") == "hit"
    assert "article-note" not in client.get(story.url).text
    feed = feedparser.parse(client.get("/feed/").content)
    assert feed.feed.updated_parsed[:5] == (2025, 5, 30, 14, 0)  # 08:00 in Mexico City
    add_note(story, "update", "The cuts now also cover Tláhuac.", local(2025, 6, 1, 9, 0))
    html = client.get(story.url).text
    assert "Update</span>" in html and "The cuts now also cover Tláhuac." in html
    assert "correction" not in json_ld(html)  # an update adds news; it corrects nothing
    feed = feedparser.parse(client.get("/feed/").content)
    assert feed.feed.updated_parsed[:5] == (2025, 6, 1, 15, 0)


def test_a_note_in_an_unpublished_draft_shows_nowhere(client, sections):
    story = publish_article(sections["politics"], "Mayor resigns")
    draft = ArticlePage.objects.get(pk=story.pk)
    draft.corrections.add(ArticleCorrection(kind="correction", text="Draft-only note.", noted_at=local(2025, 1, 2)))
    draft.save_revision()
    assert "Draft-only note." not in client.get(story.url).text
    assert "Draft-only note." not in client.get("/corrections/").text


def test_the_corrections_page_lists_notes_newest_first_in_pages(client, sections, settings):
    settings.GACETA_ARCHIVE_PAGE_SIZE = 2
    first = publish_article(sections["politics"], "Story one", published_at=local(2024, 1, 1))
    second = publish_article(sections["business"], "Story two", published_at=local(2024, 2, 1))
    paid = publish_article(sections["business"], "Story three", published_at=local(2024, 3, 1), visibility="paid",
                           paragraphs=["Paid text that never leaks."])
    gone = publish_article(sections["politics"], "Story withdrawn", published_at=local(2024, 4, 1))
    add_note(first, "correction", "Oldest note.", local(2024, 1, 5))
    add_note(second, "clarification", "Middle note.", local(2024, 2, 5))
    add_note(paid, "update", "Newest note.", local(2024, 3, 5))
    add_note(gone, "correction", "Note on a story since unpublished.", local(2024, 4, 5))
    ArticlePage.objects.get(pk=gone.pk).unpublish()
    page_one = client.get("/corrections/").text
    assert page_one.index("Newest note.") < page_one.index("Middle note.")
    assert "Oldest note." not in page_one and "Page 1 of 2" in page_one
    assert f'href="{paid.url}">Story three</a>' in page_one and "Paid text" not in page_one
    assert "Story withdrawn" not in page_one
    page_two = client.get("/corrections/", {"page": 2}).text
    assert "Oldest note." in page_two and "Clarification" not in page_two
    assert client.get("/corrections/", {"page": "junk"}).status_code == 200
