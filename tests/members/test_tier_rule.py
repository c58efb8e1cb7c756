"""The tier is one rule with two readings, Python on one member (the site) and SQL on a queryset
(the admin list, its CSV and the dashboard chart): built in every state, both give the same answer.
The suite runs on SQLite and again on PostgreSQL (.ci/run), so each database is checked."""

import itertools
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from gaceta.members.access import PAID_ACCESS, Tier, annotate_tiers, paid_access_of, tier_label, tier_of
from gaceta.members.models import ComplimentaryAccess, Member
from gaceta.payments.models import Subscription

pytestmark = pytest.mark.django_db

AT = timezone.now().replace(microsecond=0) + timedelta(days=400)  # when the tiers are read
GRACE = timedelta(days=settings.GACETA_PAST_DUE_GRACE_DAYS)
SECOND = timedelta(seconds=1)

PAST_DUE_SINCE = {
    "unset": None,
    "in grace": AT - GRACE + timedelta(hours=1),
    "grace just over": AT - GRACE,
    "grace long over": AT - GRACE - timedelta(days=30),
}
UPDATED_AT = {"recently": AT - timedelta(hours=1), "before the grace": AT - GRACE - timedelta(days=1)}
PERIOD_END = {"unset": None, "ended": AT - SECOND, "ends at": AT, "running": AT + timedelta(days=3)}
CREATED_AT = {"before": AT - timedelta(days=90), "after": AT + SECOND}
GRANTS = {
    "open-ended": (AT - timedelta(days=1), None),
    "ends later": (AT - timedelta(days=1), AT + timedelta(days=1)),
    "ended": (AT - timedelta(days=10), AT - SECOND),
    "ends now": (AT - timedelta(days=10), AT),
    "not started": (AT + SECOND, None),
    "starts now": (AT, None),
}


def build_states():
    """One member per state; returns {member pk: description}."""
    subscription_states = list(itertools.product(
        Subscription.Status.values, PAST_DUE_SINCE, UPDATED_AT, PERIOD_END, CREATED_AT
    ))
    # Every subscription state alone; two subscriptions at once; each grant alone and beside a
    # subscription that gives access and one that does not; no subscription and no grant at all.
    plans = [((state,), None) for state in subscription_states]
    plans += [((("canceled", "unset", "recently", "ended", "before"), ("past_due", "unset", "recently", "unset", "before")), None)]
    plans += [((("unpaid", "unset", "recently", "running", "before"), ("incomplete", "in grace", "recently", "running", "before")), None)]
    for grant in GRANTS:
        for subscriptions in ((), (("active", "unset", "recently", "unset", "before"),), (("past_due", "grace long over", "recently", "unset", "before"),)):
            plans.append((subscriptions, grant))
    plans.append(((), None))

    members = Member.objects.bulk_create(
        Member(username=f"state{n}", email=f"state{n}@example.org") for n in range(len(plans))
    )
    subscriptions, grants, described = [], [], {}
    for member, (states, grant) in zip(members, plans):
        described[member.pk] = f"subscriptions {states}, grant {grant}"
        for status, since, updated, period_end, created in states:
            subscriptions.append(Subscription(
                member=member, stripe_id=f"sub_{len(subscriptions)}", status=status,
                past_due_since=PAST_DUE_SINCE[since], current_period_end=PERIOD_END[period_end],
            ))
            subscriptions[-1].wanted = (CREATED_AT[created], UPDATED_AT[updated])
        if grant:
            starts_at, ends_at = GRANTS[grant]
            grants.append(ComplimentaryAccess(member=member, starts_at=starts_at, ends_at=ends_at))
    Subscription.objects.bulk_create(subscriptions)
    for subscription in subscriptions:  # auto_now fields, set as if written at those moments
        subscription.created_at, subscription.updated_at = subscription.wanted
    Subscription.objects.bulk_update(subscriptions, ["created_at", "updated_at"])
    ComplimentaryAccess.objects.bulk_create(grants)
    assert Subscription.objects.filter(updated_at=UPDATED_AT["before the grace"]).exists()
    return described


@pytest.mark.slow  # some 400 members, each in another state
def test_python_and_sql_agree_on_every_subscription_and_grant_state():
    described = build_states()
    assert set(PAID_ACCESS) == {"is_complimentary", "is_subscribed"}
    in_sql = {
        member.pk: (member.is_complimentary, member.is_subscribed)
        for member in annotate_tiers(Member.objects.filter(pk__in=described), at=AT)
    }
    in_python = {
        member.pk: tuple(paid_access_of(member, at=AT)[name] for name in ("is_complimentary", "is_subscribed"))
        for member in Member.objects.filter(pk__in=described).prefetch_related("subscriptions", "complimentary_access")
    }
    disagreements = {described[pk]: (in_python[pk], in_sql[pk]) for pk in described if in_python[pk] != in_sql[pk]}
    assert disagreements == {}
    # Not a vacuous agreement: every outcome occurs.
    assert set(in_sql.values()) == {(False, False), (False, True), (True, False), (True, True)}


@pytest.mark.parametrize("updated_days_ago, paid", [(1, True), (settings.GACETA_PAST_DUE_GRACE_DAYS + 1, False)])
def test_past_due_without_a_recorded_start_counts_from_the_last_sync_on_the_site_and_in_the_admin(updated_days_ago, paid):
    """The case that disagreed: past due with no `past_due_since` was paid on the site and Free in
    the admin. The grace now runs from when Stripe's state was last written, in both."""
    member = Member.objects.create_user(username="late", email="late@example.org")
    subscription = Subscription.objects.create(member=member, stripe_id="sub_late", status="past_due")
    Subscription.objects.filter(pk=subscription.pk).update(updated_at=timezone.now() - timedelta(days=updated_days_ago))
    on_site = tier_of(Member.objects.get(pk=member.pk))
    in_admin = annotate_tiers(Member.objects.filter(pk=member.pk)).get()
    assert (on_site is Tier.PAID) is paid
    assert tier_of(in_admin) is on_site
    assert tier_label(in_admin) == tier_label(Member.objects.get(pk=member.pk)) == ("Paid" if paid else "Free")
