"""What newsletters hear from elsewhere: verified addresses (allauth), bounces, complaints and
mailed unsubscribes (anymail), and `migrate`, which starts the schedule's clock."""

import re

from allauth.account.signals import email_confirmed
from anymail.signals import inbound, tracking
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from . import services

_TOKEN = re.compile(r"unsubscribe\s+(\S+)", re.IGNORECASE)


@receiver(email_confirmed)
def start_chosen_newsletters(sender, request, email_address, **kwargs):
    services.activate_member_subscriptions(member=email_address.user, email=email_address.email)


@receiver(tracking)
def suppress_bounced_addresses(sender, event, esp_name, **kwargs):
    services.record_tracking_event(
        event_type=event.event_type, recipient=event.recipient or "",
        delivery_id=(event.metadata or {}).get("gaceta_delivery"),
    )


@receiver(inbound)
def unsubscribe_by_mail(sender, event, esp_name, **kwargs):
    """A message to the List-Unsubscribe mailbox, its subject "unsubscribe <token>"."""
    match = _TOKEN.search(event.message.subject or "") if event.message else None
    if match:
        services.unsubscribe_by_token(token=match[1])


@receiver(post_migrate)
def start_schedule_clock(sender, app_config, **kwargs):
    if app_config.label == "newsletters":
        from .schedule import ensure_clock

        ensure_clock()
