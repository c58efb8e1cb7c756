from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from gaceta.articles.models import ArticlePage
from gaceta.members.access import Tier, can_read_in_full, tier_of
from gaceta.members.models import ComplimentaryAccess, Member
from tests.conftest import make_member

pytestmark = pytest.mark.django_db

MATRIX = {
    # visibility: (anonymous, free, paid)
    "public": (True, True, True),
    "members": (False, True, True),
    "paid": (False, False, True),
}


@pytest.mark.parametrize("visibility", MATRIX)
def test_who_may_read_what(visibility, free_member, paid_member):
    article = ArticlePage(visibility=visibility)
    readers = (AnonymousUser(), free_member, paid_member)
    assert tuple(can_read_in_full(reader, article) for reader in readers) == MATRIX[visibility]


def test_complimentary_access_has_an_optional_end():
    member = make_member("comp@example.org")
    ComplimentaryAccess.objects.create(member=member, ends_at=timezone.now() + timedelta(days=1))
    assert tier_of(Member.objects.get(pk=member.pk)) is Tier.PAID
    ComplimentaryAccess.objects.update(ends_at=timezone.now() - timedelta(seconds=1))
    assert tier_of(Member.objects.get(pk=member.pk)) is Tier.FREE
    future = make_member("later@example.org")
    ComplimentaryAccess.objects.create(member=future, starts_at=timezone.now() + timedelta(days=1))
    assert tier_of(Member.objects.get(pk=future.pk)) is Tier.FREE


@pytest.mark.parametrize("status, paid", [
    ("active", True), ("trialing", True), ("incomplete", False), ("unpaid", False),
    ("incomplete_expired", False), ("paused", False),
])
def test_subscription_statuses(status, paid):
    from gaceta.payments.models import Subscription

    member = make_member(f"{status}@example.org")
    Subscription.objects.create(member=member, stripe_id=f"sub_{status}", status=status)
    assert (tier_of(Member.objects.get(pk=member.pk)) is Tier.PAID) is paid
