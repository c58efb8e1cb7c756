"""Writes about members: complimentary access, their data, leaving."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ComplimentaryAccess, Member

logger = logging.getLogger(__name__)


def grant_complimentary_access(*, member: Member, granted_by: Member | None, ends_at=None, note: str = "") -> ComplimentaryAccess:
    return ComplimentaryAccess.objects.create(member=member, granted_by=granted_by, ends_at=ends_at, note=note)


def export_member_data(*, member: Member) -> dict:
    """Everything Gaceta holds about a member, for them to download."""
    from gaceta.comments.models import Comment
    from gaceta.newsletters.services import export_member_subscriptions

    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": member.email,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "joined": member.date_joined.isoformat(),
            "last_login": member.last_login.isoformat() if member.last_login else None,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in member.emailaddress_set.all()
        ],
        "complimentary_access": [
            {"from": grant.starts_at.isoformat(), "until": grant.ends_at.isoformat() if grant.ends_at else None, "note": grant.note}
            for grant in member.complimentary_access.all()
        ],
        "subscriptions": [
            {"status": sub.status, "interval": sub.interval, "started": sub.created_at.isoformat(),
             "current_period_end": sub.current_period_end.isoformat() if sub.current_period_end else None}
            for sub in member.subscriptions.all()
        ],
        "comments": [
            {"article": comment.article.title, "posted": comment.created_at.isoformat(), "text": comment.body}
            for comment in Comment.objects.filter(member=member).select_related("article")
        ],
        "newsletters": export_member_subscriptions(member=member),
    }


@transaction.atomic
def delete_member(*, member: Member) -> None:
    """Delete a member's account. Their comments are anonymised or removed, as the newsroom chose."""
    from gaceta.comments.models import Comment
    from gaceta.newsletters.services import forget_member
    from gaceta.payments.services import cancel_subscriptions
    from gaceta.payments.stripe_api import payments_enabled

    if payments_enabled():
        cancel_subscriptions(member=member)
    comments = Comment.objects.filter(member=member)
    if settings.GACETA_DELETED_MEMBER_COMMENTS == "remove":
        comments.delete()
    else:
        comments.update(member=None)
    forget_member(member=member)
    logger.info("Member %s deleted their account", member.pk)
    member.delete()
