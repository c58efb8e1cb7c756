"""Writes about members: complimentary access, their data, leaving."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ComplimentaryAccess, Member

logger = logging.getLogger(__name__)

# What other apps store about a member, by export section name (see `add_export_section`).
EXPORT_SECTIONS: dict[str, Callable[[Member], object]] = {}


class AccountNotDeleted(Exception):
    """Deleting an account stopped before anything changed; the message says why, for the member."""


def grant_complimentary_access(*, member: Member, granted_by: Member | None, ends_at=None, note: str = "") -> ComplimentaryAccess:
    return ComplimentaryAccess.objects.create(member=member, granted_by=granted_by, ends_at=ends_at, note=note)


def add_export_section(name: str, collect: Callable[[Member], object]) -> None:
    """Add what an app stores about members to their data export, from the app's `AppConfig.ready`.

    `collect(member)` returns JSON-ready data about that member only: their own rows and words,
    never another member's name, address or text. Members depend on no other app; apps above
    it (comments, payments, newsletters) contribute their part this way.
    """
    if name in EXPORT_SECTIONS or name in {"exported_at", "account", "preferences", "email_addresses", "complimentary_access"}:
        raise ValueError(f"The data export already has a section {name!r}")
    EXPORT_SECTIONS[name] = collect


def export_member_data(*, member: Member) -> dict:
    """Everything Gaceta holds about a member, for them to download."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": member.email,
            "username": member.username,
            "display_name": member.display_name,
            "shown_on_comments_as": member.public_name,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "joined": member.date_joined.isoformat(),
            "last_login": member.last_login.isoformat() if member.last_login else None,
            "banned_from_comments": member.banned_from_comments_at.isoformat() if member.banned_from_comments_at else None,
        },
        "preferences": {"notify_replies": member.notify_replies},
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in member.emailaddress_set.all()
        ],
        "complimentary_access": [
            {"from": grant.starts_at.isoformat(), "until": grant.ends_at.isoformat() if grant.ends_at else None, "note": grant.note}
            for grant in member.complimentary_access.all()
        ],
    }
    data.update({name: collect(member) for name, collect in EXPORT_SECTIONS.items()})
    return data


def delete_member(*, member: Member) -> None:
    """Delete a member's account. Their comments are anonymised or removed, as the newsroom chose.

    Subscriptions are cancelled at Stripe first, outside any database transaction: when Stripe
    fails, `AccountNotDeleted` is raised and the account stays as it was, still billed, rather
    than gone while Stripe keeps charging the card.
    """
    from gaceta.comments.services import release_member_comments
    from gaceta.payments.services import StripeUnavailable, cancel_subscriptions
    from gaceta.payments.stripe_api import payments_enabled

    if payments_enabled():
        try:
            cancel_subscriptions(member=member)
        except StripeUnavailable as error:
            logger.warning("Member %s could not leave: Stripe failed (%s)", member.pk, error)
            raise AccountNotDeleted(
                "We could not cancel your subscription with our payment provider just now, so your account "
                "has not been deleted and nothing has changed. Please try again in a few minutes."
            ) from error
    member_id = member.pk
    with transaction.atomic():
        release_member_comments(member=member, remove=settings.GACETA_DELETED_MEMBER_COMMENTS == "remove")
        member.delete()
    logger.info("Member %s deleted their account", member_id)
