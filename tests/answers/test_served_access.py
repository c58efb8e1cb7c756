"""Ask and search follow each article's access at the moment they answer, whatever the index says.

The passage index is brought up to date by a background task; in production the worker may not
have run yet. These tests change an article's state with the queue stopped, so the index still
holds the old passages, and check that nothing the reader may no longer see is quoted or found.
"""

import json

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from gaceta.search.index import reindex_articles
from gaceta.search.models import Passage
from gaceta.articles.models import ArticlePage
from tests.conftest import make_member, publish_article

pytestmark = pytest.mark.django_db

QUESTION = "How many tractors went missing in Tlaxcala?"
SECRET = "Auditors in Tlaxcala found that 4,200 tractors went missing from the state depot."
PARAGRAPHS = ["A council meeting was called on Monday in the state capital.", SECRET]


@pytest.fixture
def stopped_queue(settings):
    """Background tasks are queued and never run, like production before the worker runs."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def story(sections):
    return publish_article(sections["business"], "Tractors vanish in Tlaxcala", paragraphs=PARAGRAPHS)


def answer_text(client, question=QUESTION) -> str:
    response = client.post("/api/ask", json.dumps({"question": question}), content_type="application/json")
    return response.content.decode()


def found_by_search(client, words="auditors depot") -> bool:
    return "Tractors vanish in Tlaxcala" in client.get("/search/", {"q": words}).content.decode()


def assert_hidden_from(client, reader=None):
    client.logout()
    if reader:
        client.force_login(reader)
    assert "4,200" not in answer_text(client), reader
    assert not found_by_search(client), reader


def test_the_story_is_answered_and_found_while_public(client, story):
    assert "4,200" in answer_text(client)
    assert found_by_search(client)


@pytest.mark.parametrize("visibility", ["members", "paid"])
def test_a_story_made_locked_is_not_quoted_before_the_index_catches_up(client, story, stopped_queue, visibility, free_member):
    story.visibility = visibility
    story.save_revision().publish()
    assert Passage.objects.filter(article=story, visibility="public").exists()  # the index lags
    assert_hidden_from(client)
    if visibility == "paid":
        assert_hidden_from(client, free_member)
    client.force_login(make_member("paid@example.org", paid=True))
    assert "4,200" in answer_text(client)


def test_an_unpublished_story_is_neither_quoted_nor_found(client, story, stopped_queue, paid_member):
    story.unpublish()
    assert Passage.objects.filter(article=story).exists()  # the index lags
    for reader in (None, paid_member):
        assert_hidden_from(client, reader)
        assert "Tractors vanish" not in answer_text(client)


@pytest.mark.parametrize("kind", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN, PageViewRestriction.GROUPS])
def test_a_story_behind_a_privacy_setting_is_kept_from_readers_who_do_not_pass_it(client, story, kind, paid_member):
    restriction = PageViewRestriction.objects.create(page=story, restriction_type=kind, password="s3cret")
    desk = Group.objects.create(name="Business desk")
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.add(desk)
    assert_hidden_from(client)
    if kind == PageViewRestriction.LOGIN:
        client.force_login(paid_member)
        assert "4,200" in answer_text(client) and found_by_search(client)
    else:
        assert_hidden_from(client, paid_member)
    if kind == PageViewRestriction.GROUPS:
        insider = make_member("insider@example.org")
        insider.groups.add(desk)
        client.force_login(insider)
        assert "4,200" in answer_text(client)


def test_a_restriction_on_the_section_covers_its_stories(client, story, sections):
    PageViewRestriction.objects.create(page=sections["business"], restriction_type=PageViewRestriction.LOGIN)
    assert_hidden_from(client)


def test_lowering_the_preview_setting_hides_what_the_old_index_called_preview(client, sections, settings):
    settings.GACETA_PREVIEW_MAX_SHARE = 1.0
    settings.GACETA_PREVIEW_PARAGRAPHS = 3
    locked = publish_article(sections["business"], "Tractors vanish in Tlaxcala", paragraphs=PARAGRAPHS,
                             visibility="paid")
    assert Passage.objects.get(article=locked, position=2).is_preview  # indexed as preview
    assert found_by_search(client)
    settings.GACETA_PREVIEW_PARAGRAPHS = 1  # no reindex
    assert not found_by_search(client)
    assert "4,200" not in client.get(locked.url).content.decode()


def test_answers_and_search_do_not_read_the_index_visibility(client, story):
    """The index says public, the article says paid: the article wins (an index row rewritten by
    hand stands for any lag)."""
    ArticlePage.objects.filter(pk=story.pk).update(visibility="paid")
    assert_hidden_from(client)
    reindex_articles([story.pk])
    assert not Passage.objects.filter(article=story, visibility="public").exists()
    assert_hidden_from(client)
