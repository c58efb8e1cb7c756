"""What newsletters hear from elsewhere: verified addresses (allauth), bounces, complaints and
mailed unsubscribes (anymail), and members leaving."""

import re

from allauth.account.signals import email_confirmed
from anymail.signals import inbound, tracking
from django.conf import settings
from django.db.models.signals import pre_delete
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


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def forget_leaving_member(sender, instance, **kwargs):
    """A member who deletes their account leaves every list, with every address they had."""
    services.forget_member(member=instance)
