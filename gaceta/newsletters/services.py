"""Writes about newsletters: joining and leaving a list, building issues, bounces and complaints."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from gaceta.members.access import can_receive

from .models import Delivery, IssueStory, Newsletter, NewsletterIssue, NewsletterSubscription

logger = logging.getLogger(__name__)
Status = NewsletterSubscription.Status
CONFIRM_SALT = "gaceta.newsletters.confirm"
CONFIRM_DAYS = 7


class NotAllowed(Exception):
    """The newsletter is not open to this reader (members only, paid only, closed)."""


# --- Joining and leaving --------------------------------------------------------------------------

def subscribe(*, newsletter: Newsletter, email: str, member=None, confirm_by_email: bool = True) -> NewsletterSubscription:
    """Put `email` on `newsletter`. A member's verified address is on at once; any other address
    waits for the link in a confirmation email (double opt-in). Asking again resends the link
    and reveals nothing about who is subscribed. `confirm_by_email=False`: a new member's address,
    confirmed by the account's own verification code instead (signals.start_chosen_newsletters),
    so that signing up sends one email, not two."""
    if not newsletter.is_active or not can_receive(member, newsletter):
        raise NotAllowed(newsletter.slug)
    email = email.strip()
    subscription = NewsletterSubscription.objects.filter(newsletter=newsletter, email__iexact=email).first()
    if subscription is None:
        subscription = NewsletterSubscription(newsletter=newsletter, email=email)
    if member is not None:
        subscription.member = member
    if subscription.status == Status.ACTIVE:
        subscription.save()
        return subscription
    if member is not None and _is_verified(member, email):
        _activate(subscription)
    else:
        subscription.status = Status.PENDING
        subscription.save()
        if confirm_by_email or member is None:
            transaction.on_commit(lambda: send_confirmation(subscription=subscription))
    return subscription


def _is_verified(member, email: str) -> bool:
    return member.emailaddress_set.filter(email__iexact=email, verified=True).exists()


def _activate(subscription: NewsletterSubscription) -> None:
    subscription.status = Status.ACTIVE
    subscription.confirmed_at = timezone.now()
    subscription.unsubscribed_at = None
    subscription.save()
    logger.info("Newsletter subscription %s confirmed", subscription.pk)


def confirm_token(subscription: NewsletterSubscription) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscription.pk))


def send_confirmation(*, subscription: NewsletterSubscription) -> None:
    from gaceta.core.models import NewsroomSettings

    context = {
        "newsletter": subscription.newsletter,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "days": CONFIRM_DAYS,
        "postal_address": NewsroomSettings.load().postal_address,
        "confirm_url": settings.WAGTAILADMIN_BASE_URL
        + reverse("newsletters:confirm", args=[confirm_token(subscription)]),
    }
    send_mail(
        subject=render_to_string("newsletters/email/confirm_subject.txt", context).strip(),
        message=render_to_string("newsletters/email/confirm.txt", context),
        from_email=subscription.newsletter.from_email,
        recipient_list=[subscription.email],
    )


def confirm_subscription(*, token: str) -> NewsletterSubscription | None:
    """The subscription a confirmation link names, now active; None for a bad or old link."""
    try:
        pk = int(signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=timedelta(days=CONFIRM_DAYS)))
    except (signing.BadSignature, ValueError):
        return None
    subscription = NewsletterSubscription.objects.select_related("newsletter").filter(pk=pk).first()
    if subscription and subscription.status in (Status.PENDING, Status.ACTIVE):
        if subscription.status == Status.PENDING:
            _activate(subscription)
        return subscription
    return None


def unsubscribe(*, subscription: NewsletterSubscription, delivery: Delivery | None = None) -> None:
    """Off the list at once. Replayed, it changes nothing."""
    now = timezone.now()
    if subscription.status in (Status.ACTIVE, Status.PENDING):
        subscription.status = Status.UNSUBSCRIBED
        subscription.unsubscribed_at = now
        subscription.save(update_fields=["status", "unsubscribed_at"])
        logger.info("Newsletter subscription %s unsubscribed", subscription.pk)
    if delivery is not None and delivery.unsubscribed_at is None:
        Delivery.objects.filter(pk=delivery.pk).update(unsubscribed_at=now)


def unsubscribe_by_token(*, token: str) -> NewsletterSubscription | None:
    """The link in an issue (or the List-Unsubscribe header): off the list, no sign-in needed."""
    from .rendering import delivery_from_token

    delivery_pk = delivery_from_token(token)
    delivery = Delivery.objects.select_related("subscription__newsletter").filter(pk=delivery_pk).first()
    if delivery is None:
        return None
    unsubscribe(subscription=delivery.subscription, delivery=delivery)
    return delivery.subscription


def set_member_newsletters(*, member, newsletters) -> None:
    """The account page: `member` receives exactly `newsletters` (among those open to them)."""
    chosen = {newsletter.pk for newsletter in newsletters}
    for newsletter in Newsletter.objects.filter(is_active=True):
        subscription = NewsletterSubscription.objects.filter(newsletter=newsletter, email__iexact=member.email).first()
        if newsletter.pk in chosen and can_receive(member, newsletter):
            subscribe(newsletter=newsletter, email=member.email, member=member)
        elif subscription is not None and subscription.status in (Status.ACTIVE, Status.PENDING):
            unsubscribe(subscription=subscription)


def activate_member_subscriptions(*, member, email: str) -> None:
    """A member verified `email` (allauth's email_confirmed): the lists they chose at sign-up start."""
    for subscription in NewsletterSubscription.objects.filter(email__iexact=email, status=Status.PENDING):
        subscription.member = member
        _activate(subscription)


def forget_member(*, member) -> None:
    """The member deleted their account: their addresses leave every list, with their deliveries."""
    emails = [member.email] + [address.email for address in member.emailaddress_set.all()]
    for email in {e.lower() for e in emails if e}:
        NewsletterSubscription.objects.filter(email__iexact=email).delete()
    NewsletterSubscription.objects.filter(member=member).delete()


def export_member_subscriptions(*, member) -> list[dict]:
    return [
        {"newsletter": s.newsletter.name, "email": s.email, "status": s.status,
         "since": s.created_at.isoformat(), "confirmed": s.confirmed_at.isoformat() if s.confirmed_at else None}
        for s in NewsletterSubscription.objects.filter(member=member).select_related("newsletter")
    ]


# --- Bounces and complaints (anymail's tracking signal) -------------------------------------------

SUPPRESSING_EVENTS = {"bounced": Status.BOUNCED, "rejected": Status.BOUNCED, "complained": Status.COMPLAINED}


def record_tracking_event(*, event_type: str, recipient: str, delivery_id=None) -> int:
    """A provider reports a bounce or complaint: the address gets nothing more from any list.
    Replayed or out of order, the state is the same. Returns the subscriptions suppressed."""
    status = SUPPRESSING_EVENTS.get(event_type)
    if status is None or not recipient:
        return 0
    deliveries = Delivery.objects.filter(email__iexact=recipient)
    if delivery_id:
        deliveries = deliveries.filter(pk=delivery_id)
    deliveries.exclude(status=Delivery.Status.BOUNCED).update(status=Delivery.Status.BOUNCED)
    suppressed = NewsletterSubscription.objects.filter(email__iexact=recipient).exclude(status=status).update(status=status)
    logger.info("Provider reported %s for delivery %s: %d subscriptions suppressed", event_type, delivery_id, suppressed)
    return suppressed


# --- Issues ---------------------------------------------------------------------------------------

def digest_articles(newsletter: Newsletter) -> list:
    """The front page's lead and top stories, then every story published since the last issue."""
    from gaceta.articles.models import ArticlePage
    from gaceta.frontpage.models import FrontPage

    front = FrontPage.objects.live().first()
    contents = front.contents() if front else {"lead": None, "top": []}
    chosen = [story for story in [contents["lead"], *contents["top"]] if story is not None]
    previous = newsletter.issues.exclude(status=NewsletterIssue.Status.DRAFT).order_by("-created_at").first()
    since = (previous.sent_at or previous.created_at) if previous else timezone.now() - timedelta(days=1)
    chosen += list(ArticlePage.objects.published().filter(first_published_at__gt=since).defer_streamfields())
    return list({story.pk: story for story in chosen}.values())


@transaction.atomic
def build_digest_issue(*, newsletter: Newsletter, day=None) -> NewsletterIssue:
    day = day or timezone.localdate()
    articles = digest_articles(newsletter)
    subject = f"{newsletter.name}: {articles[0].title}" if articles else f"{newsletter.name}, {day:%B} {day.day}"
    issue = NewsletterIssue.objects.create(newsletter=newsletter, issue_date=day, subject=subject[:200])
    IssueStory.objects.bulk_create(
        IssueStory(issue=issue, article=article, sort_order=order) for order, article in enumerate(articles)
    )
    return issue


@transaction.atomic
def build_alert_issue(*, newsletter: Newsletter, article, subject: str = "") -> NewsletterIssue:
    issue = NewsletterIssue.objects.create(
        newsletter=newsletter, issue_date=timezone.localdate(), subject=(subject or article.title)[:200]
    )
    IssueStory.objects.create(issue=issue, article=article, sort_order=0)
    return issue


def issue_for_today(newsletter: Newsletter) -> NewsletterIssue:
    """Today's issue, built if there is none yet (digests only: alerts are sent from a story)."""
    today = timezone.localdate()
    issue = newsletter.issues.filter(issue_date=today).order_by("-created_at").first()
    if issue is None:
        if newsletter.kind == Newsletter.Kind.ALERT:
            raise NotAllowed("An alert is sent from its story's page in the admin.")
        issue = build_digest_issue(newsletter=newsletter, day=today)
    return issue
