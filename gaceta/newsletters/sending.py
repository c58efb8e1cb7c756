"""Sending an issue: one delivery row per recipient, batches on the worker, never twice.

1. `list_recipients` writes a queued delivery for every active newsletter subscriber the audience
   rule lets receive the issue, once per issue.
2. `start_sending` queues a task per batch of delivery ids; each batch claims its queued rows,
   sends them over one connection and marks each row sent as soon as the server accepted it.
3. A send that was killed leaves rows queued, or claimed by a sender that is gone; running it
   again sends those only. When nothing is left, the issue is sent and another run sends nothing.
"""

import logging
import smtplib
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.urls import reverse
from django.db.models import Count, Q
from django.utils import timezone

from gaceta.core import ratelimit
from gaceta.members.access import Tier, tier_may_receive, tier_of

from .models import Delivery, NewsletterIssue, NewsletterSubscription, stale_claims
from .mime import MessageTemplate, PreparedEmail
from .rendering import RenderedIssue, list_unsubscribe_headers, render_issue, unsubscribe_token

logger = logging.getLogger(__name__)
LISTING_CHUNK = 2000
CLAIM_RENEWAL_SECONDS = 10


class SendInterrupted(Exception):
    """The mail server or provider stopped answering; the batch's unsent rows are queued again."""


from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused  # noqa: E402

# The server or provider as a whole failed: try the batch again later.
TRANSIENT = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, smtplib.SMTPHeloError,
             smtplib.SMTPAuthenticationError, AnymailAPIError, OSError)
# This one message was refused: record it and go on.
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError, AnymailRecipientsRefused)


def list_recipients(issue: NewsletterIssue) -> int:
    """Write a queued delivery per recipient, once per issue; later subscribers wait for the next."""
    if issue.recipients_listed_at:
        return issue.deliveries.count()
    from gaceta.members.access import annotate_tiers
    from gaceta.members.models import Member

    active = NewsletterSubscription.objects.filter(newsletter=issue.newsletter, status=NewsletterSubscription.Status.ACTIVE)
    last_pk = 0
    while True:
        chunk = list(active.filter(pk__gt=last_pk).order_by("pk").values_list("pk", "email", "member_id")[:LISTING_CHUNK])
        if not chunk:
            break
        last_pk = chunk[-1][0]
        members = {m.pk: m for m in annotate_tiers(Member.objects.filter(pk__in={c[2] for c in chunk if c[2]}))}
        rows = []
        for pk, email, member_id in chunk:
            tier = tier_of(members.get(member_id)) if member_id else Tier.ANONYMOUS
            if tier_may_receive(tier, issue.newsletter):
                rows.append(Delivery(issue=issue, subscription_id=pk, email=email, tier=str(tier)))
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    NewsletterIssue.objects.filter(pk=issue.pk).update(recipients_listed_at=timezone.now())
    issue.recipients_listed_at = timezone.now()
    return issue.deliveries.count()


def prepare_sending(issue: NewsletterIssue) -> list[tuple[int, int]]:
    """Mark the issue sending, list its recipients once, and return the (first, last) delivery
    ids of each batch still to send. Rows claimed by a sender that stopped go back to the queue."""
    if issue.status == NewsletterIssue.Status.SENT:
        return []
    NewsletterIssue.objects.filter(pk=issue.pk).update(status=NewsletterIssue.Status.SENDING)
    issue.status = NewsletterIssue.Status.SENDING
    list_recipients(issue)
    issue.deliveries.filter(status=Delivery.Status.SENDING, claimed_at__lt=stale_claims()).update(
        status=Delivery.Status.QUEUED
    )
    pending = issue.deliveries.filter(status=Delivery.Status.QUEUED).order_by("pk").values_list("pk", flat=True)
    batches, last_pk = [], 0
    while ids := list(pending.filter(pk__gt=last_pk)[: settings.GACETA_NEWSLETTER_BATCH_SIZE]):
        batches.append((ids[0], ids[-1]))
        last_pk = ids[-1]
    finish_if_done(issue)
    return batches


def start_sending(issue: NewsletterIssue) -> int:
    """Queue a worker task per batch; returns how many batches."""
    from .tasks import send_issue_batch

    batches = prepare_sending(issue)
    for first_pk, last_pk in batches:
        send_issue_batch.enqueue(issue.pk, first_pk, last_pk)
    logger.info("Newsletter issue %s: %d batches queued", issue.pk, len(batches))
    return len(batches)


def finish_if_done(issue: NewsletterIssue) -> bool:
    if issue.deliveries.filter(status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]).exists():
        return False
    updated = NewsletterIssue.objects.filter(pk=issue.pk).exclude(status=NewsletterIssue.Status.SENT).update(
        status=NewsletterIssue.Status.SENT, sent_at=timezone.now()
    )
    if updated:
        logger.info("Newsletter issue %s sent", issue.pk)
    return True


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0


def build_message(issue, rendered: RenderedIssue, email: str, token: str, *, connection=None,
                  template: MessageTemplate | None = None) -> PreparedEmail:
    """One recipient's message: their unsubscribe link in the body and in List-Unsubscribe."""
    url = f"{settings.WAGTAILADMIN_BASE_URL}{reverse('newsletters:unsubscribe', args=[token])}"
    html, text = rendered.for_recipient(url)
    headers = {**list_unsubscribe_headers(url, token),
               "List-Id": f"{issue.newsletter.name} <{issue.newsletter.slug}.{settings.GACETA_NEWSLETTER_LIST_DOMAIN}>"}
    message = PreparedEmail(rendered.subject, text, issue.newsletter.from_email, [email],
                            headers=headers, connection=connection)
    message.attach_alternative(html, "text/html")
    message.template, message.token = template, token
    return message


def message_template(issue, rendered: RenderedIssue) -> MessageTemplate:
    def build(to, token, text, html, message_id):
        message = build_message(issue, RenderedIssue(rendered.subject, html, text), to, token)
        message.extra_headers["Message-ID"] = message_id
        return message

    return MessageTemplate(build)


def with_provider_options(message: PreparedEmail, issue, delivery_pk: int) -> PreparedEmail:
    # Read by anymail's backends only: which delivery a bounce is about, and no tracking unless asked.
    message.metadata = {"gaceta_delivery": str(delivery_pk)}
    message.track_opens = message.track_clicks = issue.newsletter.track_engagement
    return message


def wait_for_rate() -> None:
    """Hold to the provider's rate (GACETA_NEWSLETTER_RATE), shared by every worker through the cache."""
    if not settings.GACETA_NEWSLETTER_RATE:
        return
    limit, period = ratelimit.parse_rate(settings.GACETA_NEWSLETTER_RATE)
    while not ratelimit.consume(f"newsletter-send:{settings.GACETA_EMAIL_PROVIDER}", limit, period).allowed:
        time.sleep(period - time.time() % period)


def send_batch(*, issue_id: int, first_pk: int, last_pk: int) -> BatchResult:
    """Claim the batch's queued rows, send them over one connection, mark each sent at once.

    While it runs the claim is renewed, so that only a sender that stopped loses it (after
    GACETA_NEWSLETTER_LEASE_SECONDS) and a second sender never takes rows that are in flight.
    """
    issue = NewsletterIssue.objects.select_related("newsletter").get(pk=issue_id)
    claim = uuid.uuid4().hex
    in_batch = Delivery.objects.filter(issue=issue, pk__gte=first_pk, pk__lte=last_pk)
    mine = in_batch.filter(status=Delivery.Status.SENDING, claimed_by=claim)
    result = BatchResult()
    if not in_batch.filter(status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SENDING, claimed_by=claim, claimed_at=timezone.now()
    ):
        finish_if_done(issue)
        return result
    rendered: dict[str, tuple[RenderedIssue, MessageTemplate]] = {}
    renewed = time.monotonic()
    connection = get_connection()
    try:
        connection.open()
        for pk, email, tier in list(mine.order_by("pk").values_list("pk", "email", "tier")):
            if tier not in rendered:
                version = render_issue(issue, Tier(tier))
                rendered[tier] = (version, message_template(issue, version))
            version, template = rendered[tier]
            message = build_message(issue, version, email, unsubscribe_token(pk), connection=connection, template=template)
            wait_for_rate()
            try:
                with_provider_options(message, issue, pk).send()
            except REFUSED as error:
                Delivery.objects.filter(pk=pk).update(status=Delivery.Status.FAILED, error=str(error)[:300])
                result.failed += 1
                continue
            Delivery.objects.filter(pk=pk).update(status=Delivery.Status.SENT, sent_at=timezone.now())
            result.sent += 1
            if time.monotonic() - renewed > CLAIM_RENEWAL_SECONDS:
                mine.update(claimed_at=timezone.now())
                renewed = time.monotonic()
    except TRANSIENT as error:
        mine.update(status=Delivery.Status.QUEUED, claimed_by="")
        logger.warning("Newsletter issue %s: batch %s-%s interrupted (%s)", issue.pk, first_pk, last_pk, error)
        raise SendInterrupted(str(error)) from error
    finally:
        connection.close()
    finish_if_done(issue)
    return result


READERS = {
    Tier.ANONYMOUS: "a newsletter subscriber without an account",
    Tier.FREE: "a free member",
    Tier.PAID: "a paid subscriber",
}
"""The kinds of reader an issue is previewed and test-sent as, each with its own text."""


def send_test(*, issue: NewsletterIssue, email: str, tier: Tier) -> None:
    """The issue as a reader of `tier` gets it, to an editor; its unsubscribe link goes nowhere."""
    rendered = render_issue(issue, tier)
    rendered = RenderedIssue(f"[Test, as {READERS[tier]}] {rendered.subject}", rendered.html, rendered.text)
    build_message(issue, rendered, email, unsubscribe_token(0), connection=get_connection()).send()


def issue_stats(issues):
    """Issues with recipients, sent, failed, bounced and unsubscribed counted in the database."""
    status = "deliveries__status"
    return issues.annotate(
        recipients=Count("deliveries"),
        sent=Count("deliveries", filter=Q(**{status: Delivery.Status.SENT})),
        failed=Count("deliveries", filter=Q(**{status: Delivery.Status.FAILED})),
        bounced=Count("deliveries", filter=Q(**{status: Delivery.Status.BOUNCED})),
        unsubscribed=Count("deliveries", filter=Q(deliveries__unsubscribed_at__isnull=False)),
    )
