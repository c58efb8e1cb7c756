"""Checkout, the portal and webhooks against a local server speaking Stripe's API."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from stripe._http_client import HTTPClient

from gaceta.members.access import Tier, tier_of
from gaceta.members.models import Member
from gaceta.payments.models import PaidPlan, Subscription, WebhookEvent
from tests.conftest import make_member
from tests.payments.fake_stripe import sign

pytestmark = pytest.mark.django_db


def post_event(client, fake, payload: bytes, secret=None):
    return client.post(
        "/payments/stripe/webhook/", data=payload, content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, secret or fake.webhook_secret),
    )


def fresh_tier(member) -> Tier:
    return tier_of(Member.objects.get(pk=member.pk))


def checkout(client, member, interval="month"):
    client.force_login(member)
    response = client.post("/subscribe/checkout/", {"interval": interval})
    assert response.status_code == 302
    session_id = response["Location"].rsplit("/", 1)[1]
    return session_id


def test_checkout_sends_the_member_to_stripe_with_the_plan_set_by_staff(client, fake_stripe, free_member):
    plan = PaidPlan.load()
    plan.yearly_price, plan.trial_days = 42, 14
    plan.save()
    session_id = checkout(client, free_member, "year")
    params = fake_stripe.sessions[session_id]["params"]
    assert params["mode"] == "subscription"
    assert params["client_reference_id"] == str(free_member.pk)
    item = params["line_items"]["0"]["price_data"]
    assert (item["unit_amount"], item["recurring"]["interval"]) == ("4200", "year")
    assert params["subscription_data"]["trial_period_days"] == "14"
    assert params["success_url"].endswith("/subscribe/thanks/?session_id={CHECKOUT_SESSION_ID}")


def test_signed_webhooks_make_the_member_paid(client, fake_stripe, free_member):
    session_id = checkout(client, free_member)
    subscription = fake_stripe.pay(session_id)
    session = fake_stripe.public(fake_stripe.sessions[session_id])
    assert post_event(client, fake_stripe, fake_stripe.event("checkout.session.completed", session)).content == b"handled"
    assert fresh_tier(free_member) is Tier.PAID
    local = Subscription.objects.get(stripe_id=subscription["id"])
    assert (local.status, local.interval) == ("active", "month")
    assert local.current_period_end > timezone.now() + timedelta(days=29)


def test_returning_from_checkout_activates_without_waiting_for_the_webhook(client, fake_stripe, free_member):
    session_id = checkout(client, free_member)
    fake_stripe.pay(session_id)
    response = client.get(f"/subscribe/thanks/?session_id={session_id}", follow=True)
    assert "your subscription is active" in response.text
    assert fresh_tier(free_member) is Tier.PAID


def test_replayed_and_out_of_order_events_leave_the_same_state(client, fake_stripe, free_member):
    session_id = checkout(client, free_member)
    subscription = fake_stripe.pay(session_id)
    stale_snapshot = dict(subscription, status="incomplete")
    updated = fake_stripe.event("customer.subscription.updated", stale_snapshot)
    created = fake_stripe.event("customer.subscription.created", stale_snapshot)
    # The update arrives before the creation, and then again.
    for payload in (updated, created, updated):
        assert post_event(client, fake_stripe, payload).status_code == 200
    assert WebhookEvent.objects.count() == 2
    assert Subscription.objects.get().status == "active"  # from Stripe's object, not the old snapshot
    assert fresh_tier(free_member) is Tier.PAID


def test_signature_is_checked(client, fake_stripe):
    payload = fake_stripe.event("customer.subscription.deleted", {"id": "sub_x", "object": "subscription"})
    assert post_event(client, fake_stripe, payload, secret="whsec_wrong").status_code == 400
    assert client.post("/payments/stripe/webhook/", data=payload, content_type="application/json").status_code == 400
    old = f"t={int(time.time()) - 3600},v1=" + sign(payload, fake_stripe.webhook_secret).split("v1=")[1]
    response = client.post("/payments/stripe/webhook/", data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=old)
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_past_due_keeps_access_for_the_grace_period(client, fake_stripe, free_member, settings):
    settings.GACETA_PAST_DUE_GRACE_DAYS = 7
    subscription = fake_stripe.pay(checkout(client, free_member))
    subscription["status"] = "past_due"
    invoice = {"id": "in_1", "object": "invoice", "subscription": subscription["id"]}
    post_event(client, fake_stripe, fake_stripe.event("invoice.payment_failed", invoice))
    assert Subscription.objects.get().status == "past_due"
    assert fresh_tier(free_member) is Tier.PAID
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert fresh_tier(free_member) is Tier.FREE


def test_cancelled_subscription_returns_to_free_at_period_end(client, fake_stripe, free_member):
    subscription = fake_stripe.pay(checkout(client, free_member))
    subscription["status"] = "canceled"
    post_event(client, fake_stripe, fake_stripe.event("customer.subscription.deleted", subscription))
    assert fresh_tier(free_member) is Tier.PAID  # paid until the period it paid for ends
    end = Subscription.objects.get().current_period_end
    with time_machine.travel(end + timedelta(minutes=1)):
        assert fresh_tier(free_member) is Tier.FREE


def test_members_manage_their_subscription_in_the_stripe_portal(client, fake_stripe, free_member):
    fake_stripe.pay(checkout(client, free_member))
    response = client.post("/account/billing/")
    assert response.status_code == 302 and response["Location"].startswith(fake_stripe.url + "/portal/cus_test_")


def test_without_stripe_keys_readers_see_the_plan_but_no_button_to_buy_it(client, free_member, settings):
    """Not sold what cannot be bought: no Subscribe button that ends in an error, and no sign-up
    offered to an anonymous reader on the way to it. Only staff are told why."""
    settings.STRIPE_SECRET_KEY = ""
    PaidPlan.objects.create(monthly_price="5.00", yearly_price="50.00", trial_days=14, currency="usd")
    page = client.get("/subscribe/").text
    assert "Subscribe monthly" not in page and "Subscriptions belong to an account" not in page
    assert "Subscriptions cannot be bought online yet" in page and "Sign up free" in page
    assert "days are free" not in page  # no trial offered for what cannot be bought
    client.force_login(free_member)
    page = client.get("/subscribe/").text
    assert "Payments are not configured" not in page and "admin" not in page.split("<main", 1)[1]
    assert "5.00 USD <span>a month</span>" in page and "Subscribe yearly" not in page
    assert "Subscriptions cannot be bought online yet" in page
    response = client.post("/subscribe/checkout/", {"interval": "month"}, follow=True)
    assert "cannot be paid for online at the moment" in response.text
    client.force_login(make_member("editor@example.org", is_staff=True))
    assert "payments are not configured" in client.get("/subscribe/").text
    assert client.post("/payments/stripe/webhook/", data=b"{}", content_type="application/json").status_code == 404


def test_checkout_needs_a_signed_in_member_and_a_known_interval(client, fake_stripe):
    assert client.post("/subscribe/checkout/", {"interval": "month"}).status_code == 302
    client.force_login(make_member("x@example.org"))
    assert client.post("/subscribe/checkout/", {"interval": "week"}).status_code == 400
    assert client.get("/subscribe/checkout/").status_code == 405


@pytest.fixture
def stripe_calls(monkeypatch):
    """Every HTTP call to Stripe, with whether a database transaction was open around it.

    On SQLite an open transaction holds the database's write lock: a slow Stripe would stall every
    comment and publish for as long as the call takes.
    """
    calls = []
    real = HTTPClient.request_with_retries

    def recording(self, method, url, *args, **kwargs):
        calls.append((method, url.split("/v1/", 1)[-1], connection.in_atomic_block))
        return real(self, method, url, *args, **kwargs)

    monkeypatch.setattr(HTTPClient, "request_with_retries", recording)
    return calls


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_stripe_is_never_called_inside_a_database_transaction(client, fake_stripe, stripe_calls):
    member = make_member("payer@example.org")
    session_id = checkout(client, member)
    subscription = fake_stripe.pay(session_id)
    client.get(f"/subscribe/thanks/?session_id={session_id}")
    session = fake_stripe.public(fake_stripe.sessions[session_id])
    invoice = {"id": "in_1", "object": "invoice", "subscription": subscription["id"]}
    for type_, obj in [("checkout.session.completed", session), ("customer.subscription.updated", subscription),
                       ("invoice.payment_failed", invoice)]:
        assert post_event(client, fake_stripe, fake_stripe.event(type_, obj)).content == b"handled"
    client.post("/account/billing/")
    client.post("/account/delete/", {"confirm": "DELETE"})
    assert not Member.objects.filter(pk=member.pk).exists()
    assert fake_stripe.subscriptions[subscription["id"]]["status"] == "canceled"
    called = {path.split("/")[0] for _, path, _ in stripe_calls}
    assert {"customers", "checkout", "subscriptions", "billing_portal"} <= called
    assert [call for call in stripe_calls if call[2]] == []


def test_the_subscribe_page_sells_the_plan_beside_a_free_sign_up(client, front_page, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_subscribe_page"
    PaidPlan.objects.create(monthly_price="6.00", yearly_price="60.00", trial_days=14, currency="mxn")
    page = client.get("/subscribe/").text
    assert "6.00 MXN <span>a month</span>" in page and "60.00 MXN <span>a year</span>" in page
    assert "Your first 14 days are free." in page and "17% less than paying monthly" in page
    assert "Every story in full" in page
    assert "Sign up free" in page and 'href="/accounts/signup/?next=/subscribe/"' in page
    client.force_login(make_member("paid@example.org", paid=True))
    page = client.get("/subscribe/").text
    assert "You are a paid subscriber" in page and "Subscribe monthly" not in page and "Sign up free" not in page
