"""Newsletters: the lists readers join, the issues sent to them and one delivery per recipient.

Words (docs/glossary.md): a *newsletter* is a list ("The Daily"); a *newsletter subscriber* is an
address on it, a member's or not; an *issue* is one edition of a newsletter; a *delivery* is one
issue sent to one newsletter subscriber.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable


class Audience(models.TextChoices):
    EVERYONE = "everyone", "Everyone who signs up"
    MEMBERS = "members", "Members (free account)"
    PAID = "paid", "Paid subscribers"


class Newsletter(models.Model):
    """A list readers join, with its sender, audience and default schedule."""

    class Kind(models.TextChoices):
        DIGEST = "digest", "Digest: the front page and every story since the last issue"
        ALERT = "alert", "Alert: one story, sent from its page in the admin"

    class Schedule(models.TextChoices):
        DAILY = "daily", "Every day"
        WEEKDAYS = "weekdays", "Monday to Friday"
        MANUAL = "manual", "Only when an editor sends it"

    name = models.CharField(max_length=100, help_text="What readers see, e.g. “The Daily”.")
    slug = models.SlugField(unique=True, help_text="Used in addresses and `manage.py send_newsletter SLUG`.")
    description = models.CharField(max_length=200, blank=True, help_text="One line on the sign-up form.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DIGEST)
    sender_name = models.CharField(max_length=100, blank=True, help_text="Empty: the newsroom's name.")
    sender_email = models.EmailField(blank=True, help_text="Empty: GACETA_FROM_EMAIL's address.")
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    schedule = models.CharField(max_length=10, choices=Schedule.choices, default=Schedule.DAILY)
    send_time = models.TimeField(default=time(7, 0), help_text="In the newsroom's time zone.")
    is_active = models.BooleanField("open to sign-ups and sending", default=True)
    track_engagement = models.BooleanField(
        "track opens and clicks", default=False,
        help_text="Off: no tracking pixel and no rewritten links. On: asks the mail provider (anymail) "
        "to track them; plain SMTP never does.",
    )

    panels = [
        FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("kind"),
        MultiFieldPanel([FieldPanel("sender_name"), FieldPanel("sender_email")], heading="Sender"),
        FieldPanel("audience"),
        MultiFieldPanel([FieldPanel("schedule"), FieldPanel("send_time")], heading="Schedule"),
        FieldPanel("is_active"), FieldPanel("track_engagement"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("newsletters:archive", args=[self.slug])

    @property
    def from_email(self) -> str:
        from email.utils import formataddr, parseaddr

        default_name, default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        return formataddr((self.sender_name or settings.WAGTAIL_SITE_NAME or default_name,
                           self.sender_email or default_address))

    def due_at(self, day) -> datetime | None:
        """When the issue of `day` (a date in the newsroom) is due, or None if it has none."""
        if self.schedule == self.Schedule.MANUAL or not self.is_active:
            return None
        if self.schedule == self.Schedule.WEEKDAYS and day.weekday() >= 5:
            return None
        return datetime.combine(day, self.send_time, tzinfo=ZoneInfo(settings.TIME_ZONE))


class NewsletterSubscription(models.Model):
    """An address on a newsletter: a newsletter subscriber. Nothing is sent before it is active."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        ACTIVE = "active", "Subscribed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Suppressed: mail bounced"
        COMPLAINED = "complained", "Suppressed: marked as spam"

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField()
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="newsletter_subscriptions"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "newsletter subscriber"
        constraints = [
            models.UniqueConstraint(Lower("email"), "newsletter", name="unique_newsletter_email"),
        ]
        indexes = [models.Index(fields=["newsletter", "status"])]

    def __str__(self):
        return f"{self.email} on {self.newsletter}"


class NewsletterIssue(ClusterableModel):
    """One edition of a newsletter; its stories are chosen when it is built and editors may change them."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="issues")
    issue_date = models.DateField(help_text="The day it is for, in the newsroom's time zone.")
    subject = models.CharField(max_length=200)
    introduction = models.TextField(blank=True, help_text="A few words above the stories. Optional.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    recipients_listed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    panels = [FieldPanel("subject"), FieldPanel("introduction"), InlinePanel("stories", label="Story")]

    class Meta:
        verbose_name = "newsletter issue"
        ordering = ["-issue_date", "-created_at"]
        indexes = [models.Index(fields=["newsletter", "issue_date"])]

    def __str__(self):
        name = str(self.newsletter)
        return self.subject if self.subject.startswith(f"{name}:") else f"{name}: {self.subject}"

    def get_absolute_url(self):
        return reverse("newsletters:issue", args=[self.newsletter.slug, self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class IssueStory(Orderable):
    issue = ParentalKey(NewsletterIssue, on_delete=models.CASCADE, related_name="stories")
    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("article")]


class Delivery(models.Model):
    """An issue sent to one newsletter subscriber. Rows are written before sending starts, so a
    send that stops halfway resumes with the rows still queued."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced"

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(NewsletterSubscription, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField()
    tier = models.CharField(max_length=10, help_text="Which version the recipient gets: anonymous, free or paid.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    claimed_by = models.CharField(max_length=32, blank=True, help_text="The batch sending it now.")
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="Renewed while its batch runs.")
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint(fields=["issue", "subscription"], name="one_delivery_per_recipient")]
        indexes = [models.Index(fields=["issue", "status"])]

    def __str__(self):
        return f"{self.issue} to {self.email}: {self.status}"


def stale_claims(now=None):
    """Claims older than the lease belong to a sender that stopped (killed, crashed)."""
    return (now or timezone.now()) - timedelta(seconds=settings.GACETA_NEWSLETTER_LEASE_SECONDS)
