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
