"""The one door to Stripe's API."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from stripe import StripeClient


class PaymentsNotConfigured(ImproperlyConfigured):
    pass


def payments_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def client() -> StripeClient:
    if not payments_enabled():
        raise PaymentsNotConfigured("Set STRIPE_SECRET_KEY (and STRIPE_WEBHOOK_SECRET) to take payments.")
    return StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=2,
    )
