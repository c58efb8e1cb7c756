"""Members: everyone with an account, readers and staff alike (see docs/glossary.md).

Declared before any data exists, because Django cannot swap its user model afterwards. Tiers,
payments and access rules build on this model in later work.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class Member(AbstractUser):
    email = models.EmailField("email address", help_text="Where sign-in codes and newsletters go.")

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
