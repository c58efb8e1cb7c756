"""Editors work in Wagtail's admin, on articles created there and on imported ones."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from gaceta.articles.bulk import ArticleSpec, add_articles
from gaceta.articles.models import ArticlePage
from tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw-for-tests")
    client.force_login(user)
    return client


def test_editor_creates_and_publishes_an_article(editor_client, sections):
    section = sections["politics"]
    data = nested_form_data({
        "title": "Senate authorises exercise",
        "slug": "senate-authorises-exercise",
        "dek": "Twelve soldiers will train in Chihuahua.",
        "body": streamfield([("paragraph", rich_text("<p>The decree was published Wednesday.</p>"))]),
        "bylines": inline_formset([]),
        "sources": inline_formset([]),
        "corrections": inline_formset([]),
        "visibility": "public",
        "comment_mode": "open",
        "action-publish": "publish",
    })
    response = editor_client.post(f"/admin/pages/add/articles/articlepage/{section.pk}/", data)
    assert response.status_code == 302, response.content[:2000]
    article = ArticlePage.objects.get(slug="senate-authorises-exercise")
    assert article.live and article.first_published_at
    assert "The decree was published Wednesday." in editor_client.get(article.url).text


def test_imported_articles_open_and_publish_in_the_editor(editor_client, sections):
    [article] = add_articles(sections["politics"], [ArticleSpec(
        title="Imported story", dek="From the archive.", paragraphs=["Old text."],
        published_at=local(2006, 5, 1), import_ref="test-1",
    )])
    edit = editor_client.get(f"/admin/pages/{article.pk}/edit/")
    assert edit.status_code == 200 and "Imported story" in edit.text
    article = ArticlePage.objects.get(pk=article.pk)
    article.title = "Imported story, corrected"
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.first_published_at.year == 2006  # a correction keeps the original date
    assert "Imported story, corrected" in editor_client.get(article.url).text
    assert Page.objects.get(pk=sections["politics"].pk).numchild == 1


def test_admin_search_finds_imported_articles(editor_client, sections):
    add_articles(sections["politics"], [ArticleSpec(
        title="Zapatista march reaches the capital", dek="x", paragraphs=["Text."],
        published_at=local(2006, 5, 1), import_ref="test-2",
    )])
    response = editor_client.get("/admin/pages/search/", {"q": "Zapatista"})
    assert "Zapatista march reaches the capital" in response.text


def test_staff_manage_accounts_of_the_member_model(editor_client):
    assert editor_client.get("/admin/users/").status_code == 200
    response = editor_client.get("/admin/users/new/")
    assert response.status_code == 200 and 'name="email"' in response.text


def test_a_tag_is_one_tag_whatever_its_case(sections):
    """Imported ("Markup" as a category, "markup" as a tag) or typed by an editor."""
    from taggit.models import Tag

    Tag.objects.create(name="Mexico", slug="mexico")
    first, second = add_articles(sections["politics"], [
        ArticleSpec(title="One", dek="x", paragraphs=["Text."], published_at=local(2006, 5, 1),
                    import_ref="case-1", tags=["Markup", "markup", "MEXICO"]),
        ArticleSpec(title="Two", dek="x", paragraphs=["Text."], published_at=local(2006, 5, 2),
                    import_ref="case-2", tags=["MARKUP", "mexico"]),
    ])
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Markup", "Mexico"]
    assert sorted(first.tags.names()) == sorted(second.tags.names()) == ["Markup", "Mexico"]
    second = ArticlePage.objects.get(pk=second.pk)
    second.tags.add("markup", "Oaxaca")
    second.save_revision().publish()
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Markup", "Mexico", "Oaxaca"]
    for ref in ("case-3", "case-4"):  # SQLite's lower() knows no accents: matched in Python
        add_articles(sections["politics"], [ArticleSpec(title=ref, dek="x", paragraphs=["Text."],
                                                        published_at=local(2006, 5, 3), import_ref=ref, tags=["Época", "ÉPOCA"])])
    assert Tag.objects.filter(name__in=["Época", "ÉPOCA", "época"]).count() == 1
