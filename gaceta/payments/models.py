"""What Stripe tells us about members' subscriptions, and the plan staff sell.

Access is derived from these rows by `members.access`; nothing else reads them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="pick")
class PaidPlan(BaseGenericSetting):
    """The Paid tier's prices. Free needs no settings."""

    name = models.CharField(max_length=60, default="Paid subscription")
    description = models.CharField(
        max_length=255, default="Every story in full, and the comments.",
        help_text="One line on the subscribe page.",
    )
    currency = models.CharField(max_length=3, default="usd", help_text="ISO code, e.g. usd, mxn.")
    monthly_price = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("5.00"), validators=[MinValueValidator(Decimal("0.50"))]
    )
    yearly_price = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("50.00"), validators=[MinValueValidator(Decimal("0.50"))]
    )
    trial_days = models.PositiveSmallIntegerField(default=0, help_text="Free days before the first charge; 0 for none.")

    panels = [FieldPanel(name) for name in ("name", "description", "currency", "monthly_price", "yearly_price", "trial_days")]

    class Meta:
        verbose_name = "paid plan"

    def price(self, interval: str) -> Decimal:
        return self.yearly_price if interval == "year" else self.monthly_price


class Customer(models.Model):
    """A member's customer record at Stripe."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stripe_customer")
    stripe_id = models.CharField(max_length=255, unique=True)

    def __str__(self):
        return self.stripe_id


class Subscription(models.Model):
    """A member's Stripe subscription, as Stripe last described it."""

    class Status(models.TextChoices):
        TRIALING = "trialing"
        ACTIVE = "active"
        PAST_DUE = "past_due"
        CANCELED = "canceled"
        UNPAID = "unpaid"
        INCOMPLETE = "incomplete"
        INCOMPLETE_EXPIRED = "incomplete_expired"
        PAUSED = "paused"

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    stripe_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    interval = models.CharField(max_length=10, blank=True, help_text="month or year")
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    trial_end = models.DateTimeField(null=True, blank=True)
    past_due_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.stripe_id} ({self.status})"


class WebhookEvent(models.Model):
    """Every Stripe event received, by id: a replayed event is recognised and skipped."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.event_id}"
