"""Stripe webhooks: verify, record by event id, hand each type to a small function."""

import logging

from django.db import IntegrityError, transaction

from .models import WebhookEvent
from .services import sync_checkout_session, sync_subscription

logger = logging.getLogger(__name__)


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


def handle_event(event) -> str:
    """Process a verified event once; a repeat of a recorded event id is acknowledged and skipped.

    The handler runs first, outside any transaction (it calls Stripe, then writes in a short
    one of its own), and the event is recorded only once it succeeded, so a failed event is
    retried by Stripe. Handlers mirror Stripe's current state: the same event delivered twice
    at once does no harm.
    """
    if WebhookEvent.objects.filter(event_id=event.id).exists():
        logger.info("Stripe event %s (%s) already handled", event.id, event.type)
        return "duplicate"
    handler = HANDLERS.get(event.type)
    if handler:
        handler(event.data.object.to_dict())
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(event_id=event.id, type=event.type)
    except IntegrityError:
        return "duplicate"  # the same event, delivered twice at once
    logger.info("Stripe event %s (%s) handled", event.id, event.type)
    return "handled" if handler else "ignored"
