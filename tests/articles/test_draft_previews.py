"""An editor's preview of a draft never reaches the caches readers are served from."""

import pytest

from tests.conftest import make_member, publish_article

pytestmark = pytest.mark.django_db

MARKER = "UNPUBLISHED-DRAFT-MARKER"


@pytest.fixture
def editor(db):
    return make_member("editor@example.org", is_staff=True, is_superuser=True)


def save_draft(article):
    article.title = f"{MARKER} headline"
    article.dek = f"{MARKER} summary."
    article.body = [("paragraph", f"<p>{MARKER} in the body.</p>")]
    article.save_revision()


def test_viewing_a_draft_leaves_the_live_page_as_published(client, sections, editor, free_member, paid_member):
    article = publish_article(sections["politics"], "Live headline", paragraphs=["The live text."])
    client.force_login(editor)
    assert "The live text." in client.get(article.url).text  # the live page, cached for staff
    save_draft(article)

    draft = client.get(f"/admin/pages/{article.pk}/view_draft/")
    assert draft.status_code == 200
    assert f"{MARKER} in the body." in draft.text  # the draft, not the cached live text
    assert "The live text." not in draft.text

    for reader in (None, free_member, paid_member, editor):
        client.logout()
        if reader:
            client.force_login(reader)
        for path in (article.url, "/", "/politics/"):
            html = client.get(path).text
            assert MARKER not in html, (reader, path)
        assert "The live text." in client.get(article.url).text, reader


def test_a_preview_after_readers_filled_the_cache_shows_the_draft(client, sections, editor, paid_member):
    article = publish_article(sections["politics"], "Live headline", paragraphs=["The live text."])
    client.force_login(paid_member)
    client.get(article.url)
    client.get("/")
    save_draft(article)
    client.force_login(editor)
    html = client.get(f"/admin/pages/{article.pk}/view_draft/").text
    assert f"{MARKER} in the body." in html and f"{MARKER} headline" in html
