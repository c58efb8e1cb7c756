"""Joining and leaving: the form on every page with double opt-in, the account page, sign-up."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django.core import mail

from gaceta.newsletters.models import NewsletterSubscription
from gaceta.newsletters.services import confirm_token
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def confirm_path(message) -> str:
    return re.search(r"http://testserver(/newsletters/confirm/\S+/)", message.body)[1]


def test_every_page_has_the_signup_form(client, daily, breaking, stories):
    for url in ("/", stories["public"].url, "/search/"):
        body = client.get(url).content.decode()
        assert 'action="/newsletters/signup/"' in body and "The Daily" in body and "Breaking news" in body
        assert f'value="{daily.pk}" checked' in body and f'value="{breaking.pk}" checked' not in body  # the digest is ticked
        # The lists' legend says what ticking does, not the heading's word again.
        assert "<legend>Send me:</legend>" in body and "<legend>Newsletters</legend>" not in body


def test_signing_up_sends_a_confirmation_and_nothing_else_until_confirmed(client, daily, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/newsletters/signup/", {"email": "new@example.org", "newsletters": [daily.pk]})
    assert response.status_code == 200 and b"Check your inbox" in response.content
    subscription = NewsletterSubscription.objects.get(email="new@example.org")
    assert subscription.status == "pending"
    [message] = mail.outbox
    assert message.to == ["new@example.org"] and "confirm" in message.subject
    path = confirm_path(message)
    assert "new@example.org" not in path and "new%40example.org" not in path
    assert client.get(path).status_code == 200  # a link scanner's visit confirms nothing
    subscription.refresh_from_db()
    assert subscription.status == "pending"
    assert client.post(path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == "active" and subscription.confirmed_at


def test_a_changed_or_old_confirmation_link_is_refused(client, daily):
    subscription = NewsletterSubscription.objects.create(newsletter=daily, email="x@example.org")
    token = confirm_token(subscription)
    assert client.post(f"/newsletters/confirm/{token}x/").status_code == 400
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert client.post(f"/newsletters/confirm/{token}/").status_code == 400
    subscription.refresh_from_db()
    assert subscription.status == "pending"


def test_a_bad_address_is_a_400_that_keeps_what_was_typed(client, daily):
    response = client.post("/newsletters/signup/", {"email": "not-an-address", "newsletters": [daily.pk]})
    assert response.status_code == 400 and b'value="not-an-address"' in response.content
    assert not NewsletterSubscription.objects.exists()


def test_members_only_lists_are_not_offered_to_anyone(client, daily):
    daily.audience = "paid"
    daily.save()
    response = client.post("/newsletters/signup/", {"email": "a@example.org", "newsletters": [daily.pk]})
    assert response.status_code == 400 and not NewsletterSubscription.objects.exists()


def test_signing_up_again_reveals_nothing_and_keeps_one_row(client, daily, django_capture_on_commit_callbacks):
    NewsletterSubscription.objects.create(newsletter=daily, email="Known@Example.org", status="active")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/newsletters/signup/", {"email": "known@example.org", "newsletters": [daily.pk]})
    assert b"Check your inbox" in response.content
    assert NewsletterSubscription.objects.filter(newsletter=daily).count() == 1
    assert NewsletterSubscription.objects.get().status == "active" and mail.outbox == []


def test_signups_are_rate_limited_per_address(client, daily):
    for _ in range(10):
        client.post("/newsletters/signup/", {"email": "flood@example.org", "newsletters": [daily.pk]})
    response = client.post("/newsletters/signup/", {"email": "flood@example.org", "newsletters": [daily.pk]})
    assert response.status_code == 429 and response["Retry-After"]


def test_members_choose_their_newsletters_on_the_account_page(client, daily, breaking):
    member = make_member("reader@example.org")
    client.force_login(member)
    page = client.get("/account/").content.decode()
    assert "The Daily" in page and 'action="/account/newsletters/"' in page
    client.post("/account/newsletters/", {"newsletters": [daily.pk, breaking.pk]})
    assert set(NewsletterSubscription.objects.filter(member=member, status="active").values_list("newsletter__slug", flat=True)) == {"daily", "breaking"}
    client.post("/account/newsletters/", {"newsletters": [breaking.pk]})
    assert NewsletterSubscription.objects.get(newsletter=daily).status == "unsubscribed"
    assert mail.outbox == []  # a verified address needs no confirmation


def test_a_free_member_cannot_join_a_paid_list(client, daily):
    daily.audience = "paid"
    daily.save()
    member = make_member("reader@example.org")
    client.force_login(member)
    client.post("/account/newsletters/", {"newsletters": [daily.pk]})
    assert not NewsletterSubscription.objects.exists()


def test_newsletters_chosen_at_account_signup_start_when_the_address_is_verified(
        client, daily, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", {"email": "newbie@example.org", "newsletters": [daily.pk]})
    assert response.status_code == 302
    subscription = NewsletterSubscription.objects.get(email="newbie@example.org")
    assert subscription.status == "pending"
    [message] = mail.outbox  # the account's code confirms the newsletter too: one email, not two
    code = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", message.body, re.M)[1]
    client.post("/accounts/confirm-email/", {"code": code})
    subscription.refresh_from_db()
    assert subscription.status == "active" and subscription.member.email == "newbie@example.org"


def test_subscriptions_are_in_the_data_export_and_go_with_the_account(client, daily):
    member = make_member("reader@example.org")
    NewsletterSubscription.objects.create(newsletter=daily, email=member.email, member=member, status="active")
    client.force_login(member)
    data = client.get("/account/data.json").json()
    assert data["newsletter_subscriptions"] == [{"newsletter": "The Daily", "email": "reader@example.org", "status": "active",
                                    "since": data["newsletter_subscriptions"][0]["since"], "confirmed": None}]
    client.post("/account/delete/", {"confirm": "DELETE"})
    assert not NewsletterSubscription.objects.exists()
