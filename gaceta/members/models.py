"""Members: everyone with an account, readers and staff alike (see docs/glossary.md).

Declared before any data exists, because Django cannot swap its user model afterwards. Tiers,
payments and access rules build on this model in later work.
"""

import re

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


EMAIL_LIKE = re.compile(r"\S+@\S+")
# Pseudonyms are this prime's residues of the member id, scrambled by PSEUDONYM_STEP (coprime
# with it): distinct for the first million members and saying nothing about order of joining.
PSEUDONYM_MODULUS, PSEUDONYM_STEP = 999_983, 479_001


def validate_display_name(value: str) -> None:
    if EMAIL_LIKE.search(value):
        raise ValidationError("Choose a name that is not an email address: everyone can read it.")


def clean_display_name(value: str) -> str:
    """A display name as typed, spaces tidied, checked by the field's rules (ValidationError)."""
    value = " ".join(value.split())
    Member._meta.get_field("display_name").clean(value, None)
    return value


class Member(AbstractUser):
    email = models.EmailField("email address", help_text="Where sign-in codes and newsletters go.")
    display_name = models.CharField(
        "your name on comments", max_length=40, blank=True,
        validators=[MinLengthValidator(2), validate_display_name],
        help_text="Shown with everything you write here, instead of your email address. 2 to 40 characters.",
    )
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

    @property
    def public_name(self) -> str:
        """The name readers see: the one the member chose, else a neutral pseudonym. Never the
        email address or a part of it (`__str__` may show those to staff)."""
        return self.display_name or self.pseudonym

    @property
    def pseudonym(self) -> str:
        """"Reader 482113": stable for the member, not derived from anything they entered."""
        return f"Reader {(self.pk * PSEUDONYM_STEP) % PSEUDONYM_MODULUS + 1}" if self.pk else "Reader"

    def tier_label(self) -> str:
        """Free, Paid or Complimentary (the rule is `access.tier_label`)."""
        from .access import tier_label

        return tier_label(self)

    tier_label.short_description = "Tier"


def display_name(member) -> str:
    """How allauth names a member in its pages and messages (ACCOUNT_USER_DISPLAY)."""
    return member.public_name


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
