import json

import pytest

from gaceta.comments.models import Comment
from gaceta.members.models import ComplimentaryAccess, Member
from gaceta.payments.models import Customer, Subscription
from tests.conftest import make_member, publish_article

pytestmark = pytest.mark.django_db


def test_members_download_their_data(client, sections, paid_member):
    article = publish_article(sections["politics"], "Commented")
    Comment.objects.create(article=article, member=paid_member, body="My opinion", status="published")
    client.force_login(paid_member)
    response = client.get("/account/data.json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "paid@example.org"
    assert data["email_addresses"] == [{"email": "paid@example.org", "verified": True, "primary": True}]
    assert data["comments"][0]["text"] == "My opinion"
    assert len(data["complimentary_access"]) == 1


@pytest.mark.parametrize("policy", ["anonymise", "remove"])
def test_deleting_an_account_leaves_nothing_orphaned(client, sections, settings, policy):
    settings.GACETA_DELETED_MEMBER_COMMENTS = policy
    member = make_member("leaving@example.org", paid=True)
    article = publish_article(sections["politics"], "Commented")
    Comment.objects.create(article=article, member=member, body="Goodbye", status="published")
    client.force_login(member)
    response = client.post("/account/delete/", {"confirm": "nope"})
    assert response.status_code == 200 and Member.objects.filter(pk=member.pk).exists()
    assert 'value="nope"' in response.text
    client.post("/account/delete/", {"confirm": "DELETE"})
    assert not Member.objects.filter(pk=member.pk).exists()
    assert "_auth_user_id" not in client.session
    assert not ComplimentaryAccess.objects.exists()
    comments = Comment.objects.filter(body="Goodbye")
    if policy == "remove":
        assert not comments.exists()
    else:
        assert comments.get().member is None


def test_deleting_an_account_cancels_the_subscription_at_stripe(client, fake_stripe, free_member):
    client.force_login(free_member)
    session_id = client.post("/subscribe/checkout/", {"interval": "month"})["Location"].rsplit("/", 1)[1]
    subscription = fake_stripe.pay(session_id)
    client.get(f"/subscribe/thanks/?session_id={session_id}")
    client.post("/account/delete/", {"confirm": "DELETE"})
    assert fake_stripe.subscriptions[subscription["id"]]["status"] == "canceled"
    assert not Subscription.objects.exists() and not Customer.objects.exists()


def test_removing_a_leaving_members_comments_keeps_other_peoples_replies(client, sections, settings):
    from gaceta.comments import services as comments

    settings.GACETA_DELETED_MEMBER_COMMENTS = "remove"
    leaving, other = make_member("leaving@example.org", paid=True), make_member("stays@example.org", paid=True)
    article = publish_article(sections["politics"], "Debated")
    answered = Comment.objects.create(article=article, member=leaving, body="Answered words", status="published")
    reply = Comment.objects.create(article=article, member=other, parent=answered, body="A reply that stays", status="published")
    alone = Comment.objects.create(article=article, member=leaving, body="Nobody answered", status="published")
    own_chain = Comment.objects.create(article=article, member=leaving, body="Talking to myself", status="published")
    Comment.objects.create(article=article, member=leaving, parent=own_chain, body="Still me", status="published")
    liked = Comment.objects.create(article=article, member=other, body="Liked by the leaver", status="published")
    comments.toggle_like(member=leaving, comment=liked)
    comments.toggle_like(member=other, comment=answered)
    client.force_login(leaving)
    client.post("/account/delete/", {"confirm": "DELETE"})

    tombstone = Comment.objects.get(pk=answered.pk)
    assert (tombstone.status, tombstone.body, tombstone.member) == ("deleted", "", None)
    assert "Answered words" not in tombstone.body_html
    assert Comment.objects.get(pk=reply.pk).body == "A reply that stays"
    assert not Comment.objects.filter(pk__in=[alone.pk, own_chain.pk]).exists()
    assert not Comment.objects.filter(body__in=["Still me", "Nobody answered"]).exists()
    assert Comment.objects.get(pk=liked.pk).like_count == 0
    client.force_login(other)
    page = client.get(article.url)
    assert "[deleted]" in page.text and "A reply that stays" in page.text and "Answered words" not in page.text


@pytest.mark.slow
def test_a_failure_at_stripe_leaves_the_account_as_it_was(client, fake_stripe, free_member, sections):
    client.force_login(free_member)
    session_id = client.post("/subscribe/checkout/", {"interval": "month"})["Location"].rsplit("/", 1)[1]
    subscription = fake_stripe.pay(session_id)
    client.get(f"/subscribe/thanks/?session_id={session_id}")
    article = publish_article(sections["politics"], "Commented")
    Comment.objects.create(article=article, member=free_member, body="Still mine", status="published")
    fake_stripe.fail("DELETE", f"/v1/subscriptions/{subscription['id']}")

    response = client.post("/account/delete/", {"confirm": "DELETE"})
    assert response.status_code == 503
    assert "could not cancel your subscription" in response.text and "not been deleted" in response.text
    assert Member.objects.filter(pk=free_member.pk).exists() and client.session.get("_auth_user_id")
    assert Subscription.objects.get().status == "active" and Customer.objects.exists()
    assert Comment.objects.get(body="Still mine").member == free_member
    assert fake_stripe.subscriptions[subscription["id"]]["status"] == "active"


def test_the_export_holds_everything_about_the_member_and_nothing_about_anyone_else(client, sections, monkeypatch):
    from gaceta.comments import services as comments
    from gaceta.comments.models import CommentReport
    from gaceta.members import services

    member = make_member("me@example.org", paid=True, first_name="Mia")
    other = make_member("someone.else@example.org", paid=True, first_name="Otto", last_name="Other")
    article = publish_article(sections["politics"], "Talked about")
    theirs = Comment.objects.create(article=article, member=other, body="OTHER-PERSONS-WORDS", status="published")
    Comment.objects.create(article=article, member=member, parent=theirs, body="My reply", status="published")
    Comment.objects.create(article=article, member=member, body="Held for review", status="pending")
    comments.toggle_like(member=member, comment=theirs)
    comments.report_comment(member=member, comment=theirs, reason="My reason to report")
    comments.report_comment(member=other, comment=theirs, reason="OTHER-PERSONS-REASON")
    monkeypatch.setitem(services.EXPORT_SECTIONS, "newsletter_subscriptions",
                        lambda m: [{"newsletter": "The daily", "member": m.email}])
    client.force_login(member)
    data = json.loads(client.get("/account/data.json").content)

    assert data["preferences"]["notify_replies"] is True
    assert {(c["text"], c["status"]) for c in data["comments"]} == {("My reply", "published"), ("Held for review", "pending")}
    assert [like["comment"] for like in data["comment_likes"]] == [theirs.pk]
    assert data["comment_reports"] == [{"comment": theirs.pk, "article": "Talked about", "reason": "My reason to report",
                                        "resolved": False, "reported": CommentReport.objects.get(member=member).created_at.isoformat()}]
    assert data["newsletter_subscriptions"] == [{"newsletter": "The daily", "member": "me@example.org"}]
    dump = json.dumps(data)
    for about_someone_else in ("someone.else", "Otto", "OTHER-PERSONS-WORDS", "OTHER-PERSONS-REASON"):
        assert about_someone_else not in dump
