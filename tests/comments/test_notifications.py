import pytest
from django.core import mail

from gaceta.comments import services
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(db):
    return make_member("ana@example.org", paid=True, display_name="Ana")


@pytest.fixture
def ben(db):
    return make_member("ben@example.org", paid=True, display_name="Ben")


def test_authors_are_emailed_about_replies(article, ana, ben, rules, django_capture_on_commit_callbacks):
    top = services.post_comment(member=ana, article=article, body="Question?")
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.post_comment(member=ben, article=article, body="Answer!", parent=top)
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert "Ben replied to your comment" in message.subject
    assert "Answer!" in message.body and f"#comment-{reply.pk}" in message.body


def test_no_email_when_turned_off_or_replying_to_yourself(article, ana, ben, rules, django_capture_on_commit_callbacks):
    top = services.post_comment(member=ana, article=article, body="Question?")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(member=ana, article=article, body="Adding to my own", parent=top)
    ana.notify_replies = False
    ana.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(member=ben, article=article, body="Answer", parent=top)
    assert mail.outbox == []


def test_a_held_reply_is_announced_when_approved(article, ana, ben, rules, moderator, django_capture_on_commit_callbacks):
    top = services.post_comment(member=ana, article=article, body="Question?")
    rules.premoderate_first = 5
    rules.save()
    reply = services.post_comment(member=ben, article=article, body="Held answer", parent=top)
    assert reply.status == "pending" and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate(moderator=moderator, comment=reply, action="approve")
    assert len(mail.outbox) == 1
