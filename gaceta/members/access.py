"""Who may read what: the one place Gaceta's access rules live.

Tiers are derived, never stored: a member is paid while complimentary access or a Stripe
subscription says so. Views, feeds, search and templates ask here and receive booleans.
"""

from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

PAID_STATUSES = {"active", "trialing"}


class Tier(StrEnum):
    ANONYMOUS = "anonymous"
    FREE = "free"
    PAID = "paid"


# --- The tier: one rule, read in Python (one member) and in SQL (lists, CSV, charts) ------------
# Each condition below is written twice, side by side, as Python on an instance and as a Q on the
# table; tests/members/test_tier_rule.py builds every state and checks that both forms agree.

def grace_period() -> timedelta:
    return timedelta(days=settings.GACETA_PAST_DUE_GRACE_DAYS)


def grant_is_active(grant, at) -> bool:
    return grant.starts_at <= at and (grant.ends_at is None or grant.ends_at > at)


def active_grants_q(at) -> Q:
    return Q(starts_at__lte=at) & (Q(ends_at__isnull=True) | Q(ends_at__gt=at))


def subscription_gives_access(subscription, at=None) -> bool:
    """Active or trialing; past due for the grace period, counted from `past_due_since` (or,
    where that was never recorded, from the last time Stripe's state was written); cancelled
    until the end of the period already paid for. A subscription created after `at` gives nothing."""
    at = at or timezone.now()
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


def subscriptions_giving_access(subscriptions, at):
    """`subscription_gives_access` as SQL, on a Subscription queryset."""
    return subscriptions.filter(created_at__lte=at).alias(
        past_due_start=Coalesce("past_due_since", "updated_at")
    ).filter(
        Q(status__in=PAID_STATUSES)
        | Q(status="past_due", past_due_start__gt=at - grace_period())
        | Q(status="canceled", current_period_end__gt=at)
    )


def has_complimentary_access(member, at=None) -> bool:
    at = at or timezone.now()
    return any(grant_is_active(grant, at) for grant in member.complimentary_access.all())


def paid_by(member, at=None) -> tuple[bool, bool]:
    """(complimentary, subscribed) for `member`: from `annotate_tiers` when the member came
    through it, else computed here."""
    if hasattr(member, "is_complimentary") and hasattr(member, "is_subscribed"):
        return bool(member.is_complimentary), bool(member.is_subscribed)
    return has_complimentary_access(member, at), any(
        subscription_gives_access(subscription, at) for subscription in member.subscriptions.all()
    )


def annotate_tiers(members, at=None):
    """Members with `is_complimentary` and `is_subscribed`, computed in the database (admin
    lists, CSV, charts): the same rule as `paid_by`."""
    from gaceta.payments.models import Subscription

    from .models import ComplimentaryAccess

    at = at or timezone.now()
    complimentary = ComplimentaryAccess.objects.filter(active_grants_q(at), member=OuterRef("pk"))
    subscribed = subscriptions_giving_access(Subscription.objects.filter(member=OuterRef("pk")), at)
    return members.annotate(is_complimentary=Exists(complimentary), is_subscribed=Exists(subscribed))


def tier_of(member) -> Tier:
    if member is None or not member.is_authenticated:
        return Tier.ANONYMOUS
    cached = getattr(member, "_gaceta_tier", None)
    if cached is None:
        cached = member._gaceta_tier = Tier.PAID if any(paid_by(member)) else Tier.FREE
    return cached


def tier_label(member) -> str:
    """What staff read in the members list and CSV: Free, Paid or Complimentary."""
    complimentary, subscribed = paid_by(member)
    return "Complimentary" if complimentary else "Paid" if subscribed else "Free"


def can_read_in_full(member, article) -> bool:
    return article.visibility in visibilities_readable_by(member)


def visibilities_readable_by(member) -> set[str]:
    """The article visibilities `member` may read in full: what search and Ask may quote."""
    return visibilities_for_tier(tier_of(member))


def visibilities_for_tier(tier: Tier) -> set[str]:
    return {
        Tier.ANONYMOUS: {"public"},
        Tier.FREE: {"public", "members"},
        Tier.PAID: {"public", "members", "paid"},
    }[Tier(tier)]


# --- Comments ----------------------------------------------------------------------------------

def _audience_allows(audience: str, member) -> bool:
    if member is not None and member.is_authenticated and member.is_staff:
        return audience != "off" or member.has_perm("comments.change_comment")
    tier = tier_of(member)
    return {"paid": tier is Tier.PAID, "members": tier is not Tier.ANONYMOUS}.get(audience, False)


def can_read_comments(member, article, rules) -> bool:
    """`rules` is the site's CommentSettings."""
    return article.comment_mode != "hidden" and _audience_allows(rules.who_can_read, member)


def comments_are_open(article, rules, at=None) -> bool:
    if article.comment_mode != "open":
        return False
    if rules.close_after_days and article.first_published_at:
        return (at or timezone.now()) < article.first_published_at + timedelta(days=rules.close_after_days)
    return True


def can_post_comments(member, article, rules) -> bool:
    return (
        can_read_comments(member, article, rules)
        and comments_are_open(article, rules)
        and _audience_allows(rules.who_can_post, member)
        and getattr(member, "banned_from_comments_at", None) is None
    )


def can_moderate_comments(member) -> bool:
    return bool(member and member.is_authenticated and member.has_perm("comments.change_comment"))


# --- Privacy settings of pages (Wagtail's view restrictions) -----------------------------------

def passes_view_restriction(member, restriction) -> bool:
    """Whether `member` may see a page behind Wagtail's privacy setting `restriction`, where no
    request is at hand (search results, Ask): a password is given per browser session, so a page
    behind one is never quoted or listed there."""
    if member is None or not member.is_authenticated:
        return False
    if restriction.restriction_type == restriction.LOGIN:
        return True
    if restriction.restriction_type == restriction.GROUPS:
        return member.is_superuser or bool(set(restriction.groups.all()) & set(member.groups.all()))
    return False


# --- Newsletters --------------------------------------------------------------------------------

def can_receive(member, newsletter) -> bool:
    """May `member` (None: an address with no account) be sent `newsletter`?"""
    return tier_may_receive(tier_of(member), newsletter)


def tier_may_receive(tier: Tier, newsletter) -> bool:
    return {"everyone": True, "members": tier is not Tier.ANONYMOUS, "paid": tier is Tier.PAID}.get(
        newsletter.audience, False
    )
