"""Writes that talk to Stripe: checkout, the customer portal, and mirroring subscriptions."""

import logging
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone
from stripe import StripeError

from gaceta.members.models import Member
from gaceta.members.services import AccountNotDeleted

from .models import Customer, PaidPlan, Subscription
from .stripe_api import client, payments_enabled

logger = logging.getLogger(__name__)
INTERVALS = {"month", "year"}


def _timestamp(value) -> datetime | None:
    return datetime.fromtimestamp(value, tz=UTC) if value else None


def ensure_customer(*, member: Member) -> Customer:
    existing = Customer.objects.filter(member=member).first()
    if existing:
        return existing
    created = client().v1.customers.create(
        params={"email": member.email, "name": member.get_full_name(), "metadata": {"member_id": str(member.pk)}}
    )
    return Customer.objects.create(member=member, stripe_id=created.id)


def start_checkout(*, member: Member, interval: str, success_url: str, cancel_url: str) -> str:
    """A Stripe Checkout session for the Paid plan; returns the URL to send the member to."""
    if interval not in INTERVALS:
        raise ValueError(f"Unknown billing interval {interval!r}")
    plan = PaidPlan.load()
    customer = ensure_customer(member=member)
    subscription_data: dict = {"metadata": {"member_id": str(member.pk)}}
    if plan.trial_days:
        subscription_data["trial_period_days"] = plan.trial_days
    session = client().v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer.stripe_id,
            "client_reference_id": str(member.pk),
            "line_items": [{
                "quantity": 1,
                "price_data": {
                    "currency": plan.currency,
                    "unit_amount": int(plan.price(interval) * 100),
                    "recurring": {"interval": interval},
                    "product_data": {"name": plan.name},
                },
            }],
            "subscription_data": subscription_data,
            "success_url": success_url + "?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": cancel_url,
        }
    )
    return session.url


def portal_url(*, member: Member, return_url: str) -> str:
    customer = Customer.objects.get(member=member)
    session = client().v1.billing_portal.sessions.create(
        params={"customer": customer.stripe_id, "return_url": return_url}
    )
    return session.url


def _member_for(remote: dict) -> Member | None:
    customer = Customer.objects.filter(stripe_id=remote["customer"]).select_related("member").first()
    if customer:
        return customer.member
    member_id = (remote.get("metadata") or {}).get("member_id")
    member = Member.objects.filter(pk=member_id).first() if member_id else None
    if member:
        Customer.objects.get_or_create(member=member, defaults={"stripe_id": remote["customer"]})
    return member


def sync_subscription(*, stripe_id: str) -> Subscription | None:
    """Mirror a subscription as Stripe describes it now.

    The object is fetched afresh rather than read from the event that mentioned it, so events
    that arrive late, twice or out of order all leave the same state. Stripe is called before
    the transaction opens: on SQLite an open write transaction locks the whole database.
    """
    return mirror_subscription(client().v1.subscriptions.retrieve(stripe_id).to_dict())


@transaction.atomic
def mirror_subscription(remote: dict) -> Subscription | None:
    """Write Stripe's description of a subscription (`remote`, already fetched) into ours."""
    stripe_id = remote["id"]
    member = _member_for(remote)
    if member is None:
        logger.warning("Stripe subscription %s belongs to no member", stripe_id)
        return None
    items = (remote.get("items") or {}).get("data") or [{}]
    # Newer API versions keep the billing period on the item; older ones on the subscription.
    period_end = items[0].get("current_period_end") or remote.get("current_period_end")
    interval = ((items[0].get("price") or {}).get("recurring") or {}).get("interval", "")
    local = Subscription.objects.select_for_update().filter(stripe_id=stripe_id).first() or Subscription(
        stripe_id=stripe_id, member=member
    )
    was_past_due = local.status == Subscription.Status.PAST_DUE
    local.member = member
    local.status = remote["status"]
    local.interval = interval
    local.current_period_end = _timestamp(period_end)
    local.cancel_at_period_end = bool(remote.get("cancel_at_period_end"))
    local.trial_end = _timestamp(remote.get("trial_end"))
    if remote["status"] == Subscription.Status.PAST_DUE:
        local.past_due_since = local.past_due_since if was_past_due else timezone.now()
    else:
        local.past_due_since = None
    local.save()
    logger.info("Subscription %s of member %s is %s", stripe_id, member.pk, local.status)
    return local


def sync_checkout_session(*, session_id: str) -> Subscription | None:
    """Mirror what a Checkout session bought: both objects are fetched first, then written."""
    session = client().v1.checkout.sessions.retrieve(session_id).to_dict()
    remote = client().v1.subscriptions.retrieve(session["subscription"]).to_dict() if session.get("subscription") else None
    with transaction.atomic():
        if session.get("client_reference_id") and session.get("customer"):
            Customer.objects.get_or_create(
                member_id=int(session["client_reference_id"]), defaults={"stripe_id": session["customer"]}
            )
        return mirror_subscription(remote) if remote else None


class StripeUnavailable(Exception):
    """Stripe did not do what was asked (down, refusing, unreachable)."""


def cancel_subscriptions(*, member: Member) -> None:
    """Stop billing a member who leaves: cancel every live subscription at Stripe at once."""
    for subscription in member.subscriptions.exclude(status__in=["canceled", "incomplete_expired"]):
        try:
            client().v1.subscriptions.cancel(subscription.stripe_id)
        except StripeError as error:
            raise StripeUnavailable(f"cancelling {subscription.stripe_id}: {error}") from error


def stop_billing_departing_member(member: Member) -> None:
    """A departure step (see members.services.add_departure_step): subscriptions are cancelled at
    Stripe before the account goes; when Stripe fails, the account stays as it was, still billed,
    rather than gone while Stripe keeps charging the card."""
    if not payments_enabled():
        return
    try:
        cancel_subscriptions(member=member)
    except StripeUnavailable as error:
        logger.warning("Member %s could not leave: Stripe failed (%s)", member.pk, error)
        raise AccountNotDeleted(
            "We could not cancel your subscription with our payment provider just now, so your account "
            "has not been deleted and nothing has changed. Please try again in a few minutes."
        ) from error


def export_subscriptions(member: Member) -> list[dict]:
    """The member's part of their data export (see members.services.add_export_section)."""
    return [
        {"status": sub.status, "interval": sub.interval, "started": sub.created_at.isoformat(),
         "current_period_end": sub.current_period_end.isoformat() if sub.current_period_end else None,
         "cancel_at_period_end": sub.cancel_at_period_end, "stripe_id": sub.stripe_id}
        for sub in member.subscriptions.all()
    ]


def export_customer(member: Member) -> dict | None:
    customer = Customer.objects.filter(member=member).first()
    return {"stripe_id": customer.stripe_id} if customer else None
