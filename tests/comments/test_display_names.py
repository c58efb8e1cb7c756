"""Commenters appear under a name they choose, never their email address or a part of it."""


import pytest
from django.core import mail

from gaceta.comments import services
from gaceta.comments.models import Comment
from gaceta.members.models import Member
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def maria(db):
    return make_member("maria.lopez@example.org", paid=True)


def test_members_without_a_chosen_name_appear_under_a_stable_neutral_pseudonym(client, article, maria, rules):
    Comment.objects.create(article=article, member=maria, body="My first thought", status="published")
    pseudonym = maria.public_name
    assert pseudonym.startswith("Reader ") and pseudonym == Member.objects.get(pk=maria.pk).public_name
    Member.objects.filter(pk=maria.pk).update(email="changed@example.org")
    assert Member.objects.get(pk=maria.pk).public_name == pseudonym  # not derived from the address
    assert make_member("lopez.m@example.net", paid=True).public_name != pseudonym
    client.force_login(make_member("viewer@example.org", paid=True))
    page = client.get(article.url).text
    api = client.get(f"/comments/article/{article.pk}.json").text
    assert pseudonym in page and pseudonym in api
    for text in (page, api):
        assert "maria.lopez" not in text and "maria" not in text.lower()


def test_a_chosen_name_shows_on_pages_the_api_my_comments_and_reply_emails(
        client, article, maria, rules, django_capture_on_commit_callbacks):
    maria.display_name = "María L."
    maria.save()
    writer = make_member("bob.smith@example.org", paid=True, display_name="Bob in Oaxaca")
    top = services.post_comment(member=maria, article=article, body="Question?")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(member=writer, article=article, body="Answer!", parent=top)
    [message] = mail.outbox
    assert "Bob in Oaxaca replied" in message.subject and "bob.smith" not in message.subject + message.body
    assert "Hello María L.," in message.body and "maria.lopez" not in message.body
    client.force_login(maria)
    mine = client.get("/account/comments/").text
    assert "Bob in Oaxaca" in mine and "bob.smith" not in mine
    page = client.get(article.url).text
    assert "María L." in page and "Bob in Oaxaca" in page and "bob.smith" not in page
    authors = [c["author"] for c in client.get(f"/comments/article/{article.pk}.json").json()["comments"]]
    assert authors == ["María L."]


def test_the_first_comment_asks_for_a_name_and_bad_names_keep_what_was_typed(client, article, maria, rules):
    client.force_login(maria)
    form = client.get(article.url).text
    assert 'name="display_name"' in form and maria.public_name in form  # suggested, not imposed
    url = f"/comments/article/{article.pk}/"
    for name, error in [("", "Choose the name"), ("maria.lopez@example.org", "not an email address"),
                        ("x", "at least 2"), ("y" * 41, "at most 40")]:
        response = client.post(url, {"body": "Words I typed", "display_name": name})
        assert response.status_code == 400 and error in response.text
        assert "Words I typed" in response.text and not Comment.objects.exists()
        if name:
            assert f'value="{name}"' in response.text
    missing = client.post(url, {"body": "Words I typed"}, HTTP_ACCEPT="application/json")
    assert missing.status_code == 400 and "Choose the name" in missing.json()["error"]
    assert client.post(url, {"body": "Words I typed", "display_name": "  María   L. "}).status_code == 302
    assert Member.objects.get(pk=maria.pk).display_name == "María L."
    assert Comment.objects.get().body == "Words I typed"
    assert 'name="display_name"' not in client.get(article.url).text
    client.post(url, {"body": "Second", "display_name": "Ignored Now"})
    assert Member.objects.get(pk=maria.pk).display_name == "María L."


def test_the_name_is_editable_on_the_account_page_with_the_same_rules(client, maria):
    client.force_login(maria)
    assert 'name="display_name"' in client.get("/account/").text
    bad = client.post("/account/", {"display_name": "me@example.org", "notify_replies": "on"})
    assert bad.status_code == 200 and "not an email address" in bad.text and 'value="me@example.org"' in bad.text
    client.post("/account/", {"display_name": "Mari", "notify_replies": "on"})
    assert Member.objects.get(pk=maria.pk).display_name == "Mari"
