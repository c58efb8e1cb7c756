"""What an editor sees in the admin: slugs that fill themselves, counts, labels, no dead ends."""

import re

import pytest
from django.contrib.auth import get_user_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from gaceta.articles.models import ArticlePage
from tests.conftest import publish_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(get_user_model().objects.create_superuser("chief", "chief@example.org", "pw-for-tests"))
    return client


def test_an_authors_slug_follows_the_name(editor_client):
    html = editor_client.get("/admin/snippets/articles/author/add/").text
    assert 'data-controller="w-sync"' in html and 'data-w-sync-target-value="#id_slug"' in html
    slug_input = re.search(r'<input[^>]*id="id_slug"[^>]*>', html)[0]
    assert 'data-controller="w-slug"' in slug_input


def test_the_story_form_has_a_counted_summary_and_plain_labels(editor_client, sections):
    html = editor_client.get(f"/admin/pages/add/articles/articlepage/{sections['politics'].pk}/").text
    assert '<textarea name="dek"' in html and 'data-controller="gaceta-count"' in html and 'maxlength="300"' in html
    assert "js/admin_character_count.js" in html
    assert "Add byline" in html and "Add source" in html and "Add correction or update" in html
    assert "Breaking news until" in html


def test_a_half_filled_autosaved_draft_never_blocks_the_same_headline(editor_client, sections):
    politics = sections["politics"]
    abandoned = ArticlePage(title="Storm hits Acapulco", slug="storm-hits-acapulco", dek="Half", live=False, body=[])
    politics.add_child(instance=abandoned)
    abandoned.save_revision()
    data = nested_form_data({
        "title": "Storm hits Acapulco", "slug": "storm-hits-acapulco", "dek": "Winds of 200 km/h.",
        "body": streamfield([("paragraph", rich_text("<p>The storm made landfall at dawn.</p>"))]),
        "bylines": inline_formset([]), "sources": inline_formset([]), "corrections": inline_formset([]),
        "visibility": "public", "comment_mode": "open", "action-publish": "publish",
    })
    response = editor_client.post(f"/admin/pages/add/articles/articlepage/{politics.pk}/", data)
    assert response.status_code == 302, response.content[-2000:]
    story = ArticlePage.objects.live().get(title="Storm hits Acapulco")
    assert story.slug == "storm-hits-acapulco-2" and story.pk != abandoned.pk


def test_a_published_storys_slug_is_still_protected(editor_client, sections):
    publish_article(sections["politics"], "Storm hits Acapulco")
    data = nested_form_data({
        "title": "Storm hits Acapulco", "slug": "storm-hits-acapulco", "dek": "Again.",
        "body": streamfield([]), "bylines": inline_formset([]), "sources": inline_formset([]),
        "corrections": inline_formset([]), "visibility": "public", "comment_mode": "open",
        "action-publish": "publish",
    })
    response = editor_client.post(f"/admin/pages/add/articles/articlepage/{sections['politics'].pk}/", data)
    assert response.status_code == 200 and "is already in use" in response.text


def test_the_dashboard_lists_scheduled_and_expiring_stories(editor_client, sections):
    from django.utils import timezone
    from datetime import timedelta

    story = ArticlePage(title="Budget vote tomorrow", dek="x", body=[], live=False,
                        go_live_at=timezone.now() + timedelta(hours=20))
    sections["politics"].add_child(instance=story)
    story.save_revision().publish()
    publish_article(sections["business"], "Sale ends tonight", expire_at=timezone.now() + timedelta(hours=3))
    html = editor_client.get("/admin/").text
    panel = html[html.index("Publishing schedule"):]
    assert "Budget vote tomorrow" in panel[: panel.index("Coming down")]
    assert "Sale ends tonight" in panel[panel.index("Coming down"):]


def test_the_dashboard_warns_of_a_story_past_its_go_live_time(editor_client, sections):
    """Under gunicorn without the worker the clock never runs: the story must not drop silently
    off the list at its time, but stay, marked overdue, with a word on what to start."""
    import time_machine
    from django.utils import timezone
    from datetime import timedelta

    go_live = timezone.now() + timedelta(minutes=30)
    story = ArticlePage(title="Budget vote at noon", dek="x", body=[], live=False, go_live_at=go_live)
    sections["politics"].add_child(instance=story)
    story.save_revision().publish()
    html = editor_client.get("/admin/").text
    assert "Budget vote at noon" in html and "overdue" not in html and "worker" not in html

    with time_machine.travel(go_live + timedelta(hours=1), tick=False):
        html = editor_client.get("/admin/").text
    panel = html[html.index("Publishing schedule"):]
    going_live = panel[: panel.index("Coming down")]
    assert "Budget vote at noon" in going_live
    assert "overdue by 1" in going_live and "hour" in going_live
    assert "Scheduled publishing has never run" in going_live and "make worker" in going_live

    # The clock runs but the story is still not live: the worker is not the one to blame.
    from gaceta.core.models import PeriodicRun

    PeriodicRun.objects.create(name="publish-scheduled", last_run_at=go_live + timedelta(minutes=59))
    with time_machine.travel(go_live + timedelta(hours=1), tick=False):
        html = editor_client.get("/admin/").text
    assert "overdue by 1" in html and "could not publish them" in html and "make worker" not in html


def test_an_article_asks_for_a_headline_not_a_page_title(editor_client, sections):
    html = editor_client.get(f"/admin/pages/add/articles/articlepage/{sections['politics'].pk}/").text
    assert 'placeholder="Headline*"' in html and "Page title" not in html
    assert re.search(r'<label[^>]*for="id_title"[^>]*><span[^>]*>Headline</span>', html)
