"""Who may read, write, like, report and moderate: anonymous, free, paid, complimentary, staff."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from gaceta.comments import services
from gaceta.comments.models import Comment, CommentLike, CommentReport, ModerationAction
from gaceta.payments.models import Subscription
from tests.conftest import make_member

pytestmark = pytest.mark.django_db
SECRET = "A-COMMENT-ONLY-SUBSCRIBERS-MAY-READ"


@pytest.fixture
def readers(moderator):
    paid = make_member("subscriber@example.org", display_name="Subscriber")
    Subscription.objects.create(member=paid, stripe_id="sub_p", status="active")
    return {
        "anonymous": None,
        "free": make_member("free@example.org"),
        "paid": paid,
        "complimentary": make_member("comp@example.org", paid=True, display_name="Comp"),
        "staff": moderator,
    }


@pytest.fixture
def existing(article, paid_commenter, rules):
    return Comment.objects.create(article=article, member=paid_commenter, body=SECRET, status="published")


def client_for(member):
    client = Client()
    if member:
        client.force_login(member)
    return client


EXPECTED = {  # reader: (read, write, like, report, moderate)
    "anonymous": (False, False, False, False, False),
    "free": (False, False, False, False, False),
    "paid": (True, True, True, True, False),
    "complimentary": (True, True, True, True, False),
    "staff": (True, True, True, True, True),
}


@pytest.mark.parametrize("who", EXPECTED)
def test_permission_matrix(who, readers, article, existing):
    member = readers[who]
    client = client_for(member)
    can_read, can_write, can_like, can_report, can_moderate = EXPECTED[who]

    html = client.get(article.url).text
    assert (SECRET in html) is can_read
    assert 'Comments <span class="count">(1)</span>' in html  # the count is for everyone
    json_response = client.get(f"/comments/article/{article.pk}.json")
    assert json_response.json()["count"] == 1
    assert (SECRET.encode() in json_response.content) is can_read
    assert json_response.status_code == (200 if can_read else 403)

    posted = client.post(f"/comments/article/{article.pk}/", {"body": f"Hello from {who}"}, HTTP_ACCEPT="application/json")
    assert posted.status_code == (201 if can_write else 403)
    assert Comment.objects.filter(body=f"Hello from {who}").exists() is can_write

    liked = client.post(f"/comments/{existing.pk}/like/", HTTP_ACCEPT="application/json")
    assert liked.status_code == (200 if can_like else 403)
    assert CommentLike.objects.filter(comment=existing).exists() is can_like

    reported = client.post(f"/comments/{existing.pk}/report/", {"reason": "spam"}, HTTP_ACCEPT="application/json")
    assert reported.status_code == (200 if can_report else 403)
    assert CommentReport.objects.filter(comment=existing).exists() is can_report

    actor = member or AnonymousUser()
    if can_moderate:
        services.moderate(moderator=actor, comment=existing, action="feature")
        assert ModerationAction.objects.filter(action="feature").exists()
    else:
        with pytest.raises(services.PermissionDenied):
            services.moderate(moderator=actor, comment=existing, action="feature")


def test_free_readers_get_the_call_to_action_and_no_text(client, readers, article, existing):
    client.force_login(readers["free"])
    html = client.get(article.url).text
    assert "Paid subscribers get all access to make &amp; read comments." in html
    assert 'href="/subscribe/"' in html
    assert SECRET not in html


def test_site_settings_choose_who_reads_and_who_posts(readers, article, existing, rules):
    rules.who_can_read, rules.who_can_post = "members", "paid"
    rules.save()
    free = client_for(readers["free"])
    assert SECRET in free.get(article.url).text
    assert free.post(f"/comments/article/{article.pk}/", {"body": "x"}, HTTP_ACCEPT="application/json").status_code == 403
    rules.who_can_read = rules.who_can_post = "off"
    rules.save()
    assert SECRET not in client_for(readers["paid"]).get(article.url).text


def test_articles_can_close_or_hide_their_comments(readers, article, existing):
    paid = client_for(readers["paid"])
    article.comment_mode = "closed"
    article.save_revision().publish()
    html = paid.get(article.url).text
    assert SECRET in html and "Comments on this article are closed." in html
    assert paid.post(f"/comments/article/{article.pk}/", {"body": "late"}, HTTP_ACCEPT="application/json").status_code == 403
    article.comment_mode = "hidden"
    article.save_revision().publish()
    html = paid.get(article.url).text
    assert SECRET not in html and 'id="comments"' not in html


def test_comments_close_by_themselves_after_some_days(readers, article, existing, rules):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    rules.close_after_days = 10
    rules.save()
    paid = client_for(readers["paid"])
    with time_machine.travel(timezone.now() + timedelta(days=11)):
        response = paid.post(f"/comments/article/{article.pk}/", {"body": "too late"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403


@pytest.fixture
def lapsed(article, rules):
    """A member whose paid access ended after they commented, with a paid-only reply waiting."""
    from datetime import timedelta

    from django.utils import timezone

    member = make_member("lapsed@example.org", paid=True)
    mine = Comment.objects.create(article=article, member=member, body="My own words", status="published")
    Comment.objects.create(article=article, member=make_member("other@example.org", paid=True), parent=mine,
                           body=SECRET, status="published")
    member.complimentary_access.update(ends_at=timezone.now() - timedelta(days=1))
    return member


def test_lapsed_subscribers_no_longer_read_paid_replies_on_my_comments(lapsed, rules):
    page = client_for(lapsed).get("/account/comments/")
    assert page.status_code == 200
    assert SECRET not in page.text and "My own words" in page.text
    rules.who_can_read = "members"
    rules.save()
    assert SECRET in client_for(lapsed).get("/account/comments/").text


def test_lapsed_subscribers_get_no_paid_reply_by_email(lapsed, article, django_capture_on_commit_callbacks):
    from django.core import mail

    mine = Comment.objects.get(member=lapsed)
    writer = make_member("late@example.org", paid=True, display_name="Late")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(member=writer, article=article, body="A late paid reply", parent=mine)
    assert mail.outbox == []
