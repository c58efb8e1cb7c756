"""Members: everyone with an account, readers and staff alike (see docs/glossary.md).

Declared before any data exists, because Django cannot swap its user model afterwards. Tiers,
payments and access rules build on this model in later work.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Member(AbstractUser):
    email = models.EmailField("email address", help_text="Where sign-in codes and newsletters go.")
    notify_replies = models.BooleanField(
        "email me replies to my comments", default=True,
    )
    banned_from_comments_at = models.DateTimeField(
        null=True, blank=True, help_text="Set by a moderator: this member may no longer comment."
    )

    class Meta:
        verbose_name = "member"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="unique_member_email",
                violation_error_message="A member with this email address already exists.",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.email or self.username

    def tier_label(self) -> str:
        """Free, Paid or Complimentary; uses `access.annotate_tiers` values when present."""
        from .access import has_complimentary_access, subscription_gives_access

        complimentary = getattr(self, "is_complimentary", None)
        if complimentary is None:
            complimentary = has_complimentary_access(self)
            subscribed = any(subscription_gives_access(s) for s in self.subscriptions.all())
        else:
            subscribed = self.is_subscribed
        return "Complimentary" if complimentary else "Paid" if subscribed else "Free"

    tier_label.short_description = "Tier"


def display_name(member) -> str:
    return str(member)


class ComplimentaryAccess(models.Model):
    """Paid access that staff give without payment (staff, partners, a prize), for a while or for good."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="complimentary_access")
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: no end.")
    note = models.CharField(max_length=200, blank=True, help_text="Why, e.g. “Contributor”.")
    granted_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "complimentary access"
        verbose_name_plural = "complimentary access"
        ordering = ["-starts_at"]

    def __str__(self):
        until = f" until {self.ends_at:%Y-%m-%d}" if self.ends_at else ""
        return f"Complimentary paid access for {self.member}{until}"

    def is_active(self, at=None) -> bool:
        at = at or timezone.now()
        return self.starts_at <= at and (self.ends_at is None or self.ends_at > at)
