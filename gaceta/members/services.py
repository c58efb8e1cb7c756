"""Writes about members: complimentary access, their data, leaving."""

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .models import ComplimentaryAccess, Member

logger = logging.getLogger(__name__)

# What other apps store about a member, by export section name (see `add_export_section`).
EXPORT_SECTIONS: dict[str, Callable[[Member], object]] = {}
# What other apps do when a member leaves, and whether before the deletion (see `add_departure_step`).
DEPARTURE_STEPS: list[tuple[Callable[[Member], None], bool]] = []


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


def add_departure_step(step: Callable[[Member], None], *, before_deletion: bool = False) -> None:
    """Add what an app does when a member deletes their account, from its `AppConfig.ready`.

    Steps `before_deletion` run first, outside any database transaction (a call to a payment
    provider, say), and may raise `AccountNotDeleted` to leave the account as it was. The others
    run in the deletion's own transaction.
    """
    DEPARTURE_STEPS.append((step, before_deletion))


def delete_member(*, member: Member) -> None:
    """Delete a member's account and run every app's departure step (see `add_departure_step`)."""
    for step, before_deletion in DEPARTURE_STEPS:
        if before_deletion:
            step(member)
    member_id = member.pk
    with transaction.atomic():
        for step, before_deletion in DEPARTURE_STEPS:
            if not before_deletion:
                step(member)
        member.delete()
    logger.info("Member %s deleted their account", member_id)
