"""Who may read what: the one place Gaceta's access rules live.

Tiers are derived, never stored: a member is paid while complimentary access or a Stripe
subscription says so. Views, feeds, search and templates ask here and receive booleans.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone


class Tier(StrEnum):
    ANONYMOUS = "anonymous"
    FREE = "free"
    PAID = "paid"


@dataclass(frozen=True)
class PaidAccess:
    """One way a member comes to read as paid, as the same rule twice: `holds(member, at)` in
    Python (pages), `exists(at)` as SQL, an `Exists` over the member's rows (`OuterRef("pk")`)
    for admin lists, CSV and charts. Members grant complimentary access themselves; apps above
    (payments: subscriptions) add theirs with `add_paid_access` from their `AppConfig.ready`."""

    annotation: str
    holds: Callable[..., bool]
    exists: Callable[..., Exists]


PAID_ACCESS: dict[str, PaidAccess] = {}


def add_paid_access(annotation: str, *, holds: Callable[..., bool], exists: Callable[..., Exists]) -> None:
    PAID_ACCESS[annotation] = PaidAccess(annotation, holds, exists)


# Each rule is written twice, side by side, as Python on an instance and as a Q on the table;
# tests/members/test_tier_rule.py builds every state and checks that both forms agree.

def grant_is_active(grant, at) -> bool:
    return grant.starts_at <= at and (grant.ends_at is None or grant.ends_at > at)


def active_grants_q(at) -> Q:
    return Q(starts_at__lte=at) & (Q(ends_at__isnull=True) | Q(ends_at__gt=at))


def has_complimentary_access(member, at) -> bool:
    return any(grant_is_active(grant, at) for grant in member.complimentary_access.all())


def complimentary_access_exists(at) -> Exists:
    from .models import ComplimentaryAccess

    return Exists(ComplimentaryAccess.objects.filter(active_grants_q(at), member=OuterRef("pk")))


add_paid_access("is_complimentary", holds=has_complimentary_access, exists=complimentary_access_exists)


def paid_access_of(member, at=None) -> dict[str, bool]:
    """Each way the member reads as paid, by annotation name: `annotate_tiers` values when the
    member came from it, else computed."""
    if all(hasattr(member, name) for name in PAID_ACCESS):
        return {name: bool(getattr(member, name)) for name in PAID_ACCESS}
    at = at or timezone.now()
    return {name: access.holds(member, at) for name, access in PAID_ACCESS.items()}


def tier_label(member) -> str:
    """What staff read in the members list and CSV: Free, Paid or Complimentary."""
    paid = paid_access_of(member)
    return "Complimentary" if paid.pop("is_complimentary") else "Paid" if any(paid.values()) else "Free"


def tier_of(member) -> Tier:
    if member is None or not member.is_authenticated:
        return Tier.ANONYMOUS
    cached = getattr(member, "_gaceta_tier", None)
    if cached is None:
        cached = member._gaceta_tier = Tier.PAID if any(paid_access_of(member).values()) else Tier.FREE
    return cached


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


def annotate_tiers(members, at=None):
    """Members with each way of paid access (`is_complimentary`, `is_subscribed`…) computed in
    the database (admin lists, CSV, charts): the rules of `tier_of`, as SQL."""
    at = at or timezone.now()
    return members.annotate(**{name: access.exists(at) for name, access in PAID_ACCESS.items()})


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
