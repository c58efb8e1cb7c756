"""When a Stripe subscription gives paid access: the rule, in Python and as SQL, added to the
member's tier (members.access.add_paid_access)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from .models import Subscription

PAID_STATUSES = {"active", "trialing"}


def subscription_gives_access(subscription, at) -> bool:
    if subscription.status in PAID_STATUSES:
        return True
    if subscription.status == "past_due":
        # Without the day it fell due (an event not yet seen), the grace period is still running.
        since = subscription.past_due_since or at
        return at < since + timedelta(days=settings.GACETA_PAST_DUE_GRACE_DAYS)
    if subscription.status == "canceled":
        # Canceled returns the member to free at the end of the period already paid for.
        return bool(subscription.current_period_end and at < subscription.current_period_end)
    return False


def is_subscribed(member, at) -> bool:
    return any(subscription_gives_access(subscription, at) for subscription in member.subscriptions.all())


def subscribed_exists(at) -> Exists:
    grace_start = at - timedelta(days=settings.GACETA_PAST_DUE_GRACE_DAYS)
    return Exists(Subscription.objects.filter(member=OuterRef("pk"), created_at__lte=at).filter(
        Q(status__in=PAID_STATUSES)
        | Q(status="past_due") & (Q(past_due_since__isnull=True) | Q(past_due_since__gt=grace_start))
        | Q(status="canceled", current_period_end__gt=at)
    ))
