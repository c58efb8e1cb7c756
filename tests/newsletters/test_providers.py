"""Any provider through django-anymail: its test backend, and a provider's signed webhooks."""

import hashlib
import hmac
import json
import time

import pytest
from django.core import mail

from gaceta.newsletters import sending, services
from gaceta.newsletters.models import Delivery, NewsletterSubscription
from gaceta.settings.base import email_backend

pytestmark = pytest.mark.django_db
SIGNING_KEY = "key-test-mailgun-signing"


@pytest.fixture
def anymail_backend(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY, "WEBHOOK_SECRET": "hook:s3cret"}


def send_today(newsletter):
    issue = services.issue_for_today(newsletter)
    for first, last in sending.prepare_sending(issue):
        sending.send_batch(issue_id=issue.pk, first_pk=first, last_pk=last)
    return issue


def test_gaceta_email_backend_names_a_django_backend():
    assert email_backend("smtp")[0] == "django.core.mail.backends.smtp.EmailBackend"
    assert email_backend("console")[0] == "django.core.mail.backends.console.EmailBackend"
    assert email_backend("anymail:mailgun") == ("anymail.backends.mailgun.EmailBackend", "mailgun")
    assert email_backend("anymail:amazon_ses") == ("anymail.backends.amazon_ses.EmailBackend", "amazon_ses")
    with pytest.raises(ValueError, match="GACETA_EMAIL_BACKEND"):
        email_backend("sendmail")


def test_the_provider_path_sends_with_metadata_and_no_tracking(anymail_backend, daily, readers, stories):
    send_today(daily)
    assert len(mail.outbox) == 3
    message = next(m for m in mail.outbox if m.to == ["reader@example.org"])
    delivery = Delivery.objects.get(email="reader@example.org")
    params = message.anymail_test_params  # what anymail would hand the provider's API
    assert params["metadata"] == {"gaceta_delivery": str(delivery.pk)}
    assert params["track_opens"] is False and params["track_clicks"] is False
    assert params["extra_headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert params["extra_headers"]["List-Unsubscribe"].startswith("<http://testserver/newsletters/unsubscribe/")
    assert "Congress passes the budget" in params["html_body"] and "Congress passes the budget" in params["text_body"]
    assert delivery.status == "sent"


def test_staff_may_turn_tracking_on(anymail_backend, daily, readers, stories):
    daily.track_engagement = True
    daily.save()
    send_today(daily)
    assert all(m.anymail_test_params["track_opens"] and m.anymail_test_params["track_clicks"] for m in mail.outbox)


def mailgun_event(event, recipient, delivery_id, key=SIGNING_KEY):
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": {
            "event": event, "severity": "permanent", "recipient": recipient, "timestamp": time.time(),
            "id": "evt-1", "reason": "bounce", "user-variables": {"gaceta_delivery": str(delivery_id)},
            "message": {"headers": {"message-id": "abc@mailgun"}},
            "delivery-status": {"code": 550, "message": "No such user", "description": ""},
        },
    }


def post_webhook(client, payload):
    return client.post("/anymail/mailgun/tracking/", data=json.dumps(payload), content_type="application/json",
                       HTTP_AUTHORIZATION="Basic aG9vazpzM2NyZXQ=")  # hook:s3cret


def test_a_signed_bounce_suppresses_the_address_everywhere(anymail_backend, client, daily, breaking, readers, stories):
    send_today(daily)
    NewsletterSubscription.objects.create(newsletter=breaking, email="reader@example.org", status="active")
    delivery = Delivery.objects.get(email="reader@example.org")
    payload = mailgun_event("failed", "reader@example.org", delivery.pk)
    assert post_webhook(client, payload).status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == "bounced"
    assert set(NewsletterSubscription.objects.filter(email="reader@example.org").values_list("status", flat=True)) == {"bounced"}
    assert post_webhook(client, payload).status_code == 200  # replayed: same state
    assert Delivery.objects.filter(status="bounced").count() == 1
    assert NewsletterSubscription.objects.filter(status="active").count() == 2


def test_a_complaint_suppresses_too(anymail_backend, client, daily, readers, stories):
    send_today(daily)
    delivery = Delivery.objects.get(email="subscriber@example.org")
    assert post_webhook(client, mailgun_event("complained", "subscriber@example.org", delivery.pk)).status_code == 200
    assert NewsletterSubscription.objects.get(email="subscriber@example.org").status == "complained"


@pytest.mark.slow
def test_a_webhook_with_a_wrong_signature_changes_nothing(anymail_backend, client, daily, readers, stories):
    send_today(daily)
    delivery = Delivery.objects.get(email="reader@example.org")
    forged = mailgun_event("failed", "reader@example.org", delivery.pk, key="not-the-key")
    assert post_webhook(client, forged).status_code == 400
    unauthenticated = client.post("/anymail/mailgun/tracking/", data=json.dumps(mailgun_event("failed", "reader@example.org", delivery.pk)),
                                  content_type="application/json")
    assert unauthenticated.status_code in (400, 401, 403)
    assert not NewsletterSubscription.objects.exclude(status="active").exists()
    delivery.refresh_from_db()
    assert delivery.status == "sent"
