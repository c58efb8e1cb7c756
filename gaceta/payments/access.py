"""When a Stripe subscription gives paid access: the rule, in Python and as SQL, added to the
member's tier (members.access.add_paid_access)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce

from .models import Subscription

PAID_STATUSES = {"active", "trialing"}


def grace_period() -> timedelta:
    return timedelta(days=settings.GACETA_PAST_DUE_GRACE_DAYS)


def subscription_gives_access(subscription, at) -> bool:
    """Active or trialing; past due for the grace period, counted from `past_due_since` (or,
    where that was never recorded, from the last time Stripe's state was written); cancelled
    until the end of the period already paid for. A subscription created after `at` gives nothing."""
    if subscription.created_at is not None and subscription.created_at > at:
        return False
    if subscription.status in PAID_STATUSES:
        return True
    if subscription.status == "past_due":
        since = subscription.past_due_since or subscription.updated_at
        return since is not None and since > at - grace_period()
    if subscription.status == "canceled":
        return subscription.current_period_end is not None and subscription.current_period_end > at
    return False


def is_subscribed(member, at) -> bool:
    return any(subscription_gives_access(subscription, at) for subscription in member.subscriptions.all())


def subscribed_exists(at) -> Exists:
    """`subscription_gives_access` as SQL, over the member's subscriptions."""
    return Exists(Subscription.objects.filter(member=OuterRef("pk"), created_at__lte=at).alias(
        past_due_start=Coalesce("past_due_since", "updated_at")
    ).filter(
        Q(status__in=PAID_STATUSES)
        | Q(status="past_due", past_due_start__gt=at - grace_period())
        | Q(status="canceled", current_period_end__gt=at)
    ))
