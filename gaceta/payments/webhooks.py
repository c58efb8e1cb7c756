"""Stripe webhooks: verify, record by event id, hand each type to a small function."""

import logging

import stripe
from django.db import IntegrityError, transaction

from .models import WebhookEvent
from .services import sync_checkout_session, sync_subscription

logger = logging.getLogger(__name__)


class InvalidEvent(ValueError):
    """A signed event that lacks what its type needs (an id, a type, data.object with an id)."""


def checkout_completed(obj: dict):
    sync_checkout_session(session_id=obj["id"])


def subscription_changed(obj: dict):
    sync_subscription(stripe_id=obj["id"])


def invoice_failed(obj: dict):
    # Newer API versions name the subscription under parent.subscription_details.
    details = (obj.get("parent") or {}).get("subscription_details") or {}
    subscription = obj.get("subscription") or details.get("subscription")
    if subscription:
        sync_subscription(stripe_id=subscription)


HANDLERS = {
    "checkout.session.completed": checkout_completed,
    "customer.subscription.created": subscription_changed,
    "customer.subscription.updated": subscription_changed,
    "customer.subscription.deleted": subscription_changed,
    "invoice.payment_failed": invoice_failed,
}


def event_object(event: dict) -> dict:
    """The object an event is about."""
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise InvalidEvent(f"the {event['type']} event has no data.object with an id")
    return obj


def handle_event(event) -> str:
    """Process a verified event once; a repeat of a recorded event id is acknowledged and skipped.

    The handler runs first, outside any transaction (it calls Stripe, then writes in a short
    one of its own), and the event is recorded only once it succeeded, so a failed event is
    retried by Stripe. Handlers mirror Stripe's current state: the same event delivered twice
    at once does no harm.
    """
    event = event.to_dict()
    event_id, type_ = event.get("id"), event.get("type")
    if not isinstance(event_id, str) or not isinstance(type_, str):
        raise InvalidEvent("the event has no id or no type")
    if WebhookEvent.objects.filter(event_id=event_id).exists():
        logger.info("Stripe event %s (%s) already handled", event_id, type_)
        return "duplicate"
    handler = HANDLERS.get(type_)
    if handler:
        obj = event_object(event)
        try:
            handler(obj)
        except stripe.InvalidRequestError as error:
            raise InvalidEvent(f"Stripe could not find what the event names ({obj['id']}): {error.user_message}") from error
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(event_id=event_id, type=type_)
    except IntegrityError:
        return "duplicate"  # the same event, delivered twice at once
    logger.info("Stripe event %s (%s) handled", event_id, type_)
    return "handled" if handler else "ignored"
