"""Readers' comments on articles, their likes and reports, and what moderators did.

A comment is never deleted outright: its status says whether it shows (see docs/glossary.md).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Count
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from gaceta.core.cache import FRAGMENT_TTL, depends_on, tag_versions


class Audience(models.TextChoices):
    PAID = "paid", "Paid subscribers (complimentary included)"
    MEMBERS = "members", "All signed-in members"
    OFF = "off", "Nobody (comments off)"


@register_setting(icon="comment")
class CommentSettings(BaseGenericSetting):
    """Who may read and post comments, and the moderation rules."""

    who_can_read = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PAID)
    who_can_post = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PAID)
    close_after_days = models.PositiveIntegerField(
        default=30, help_text="Comments close this many days after an article is published; 0 keeps them open."
    )
    premoderate_first = models.PositiveIntegerField(
        default=1, help_text="A member's first comments wait for a moderator; after that they appear at once."
    )
    edit_window_minutes = models.PositiveIntegerField(default=15, help_text="How long a member may edit a comment.")
    max_length = models.PositiveIntegerField(default=3000, help_text="Characters per comment.")
    max_links = models.PositiveIntegerField(default=2, help_text="A comment with more links goes to the queue.")
    posts_per_hour = models.PositiveIntegerField(default=10, help_text="Comments a member may post in an hour.")
    banned_words = models.TextField(
        blank=True, help_text="One word or phrase per line; a comment containing one goes to the queue."
    )

    panels = [
        MultiFieldPanel([FieldPanel("who_can_read"), FieldPanel("who_can_post"), FieldPanel("close_after_days")], heading="Access"),
        MultiFieldPanel([FieldPanel(name) for name in ("premoderate_first", "max_links", "banned_words", "posts_per_hour")], heading="Moderation"),
        MultiFieldPanel([FieldPanel("edit_window_minutes"), FieldPanel("max_length")], heading="Writing"),
    ]

    class Meta:
        verbose_name = "comment settings"

    @classmethod
    def current(cls) -> "CommentSettings":
        """The settings as every article view reads them: from the cache until they change."""
        from gaceta.core.cache import cached_fragment

        return cached_fragment("comment-settings", cls.load)

    def banned_word_list(self) -> list[str]:
        return [line.strip().lower() for line in self.banned_words.splitlines() if line.strip()]


def comments_tag(article_id: int) -> str:
    """The cache tag of an article's thread and comment count (core/cache.py)."""
    return f"comments:{article_id}"


class CommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Comment.Status.PUBLISHED)

    def counts_for(self, article_ids) -> dict[int, int]:
        """Published comments per article, for a whole list of articles in one query. What is
        being built from them now depends on their `comments:<id>` cache tags."""
        if not article_ids:
            return {}
        depends_on(*(comments_tag(pk) for pk in article_ids))
        rows = (
            self.published()
            .filter(article_id__in=article_ids)
            .values("article_id")
            .annotate(total=Count("id"))
            .values_list("article_id", "total")
        )
        return dict(rows)

    def cached_counts(self, article_ids) -> dict[int, int]:
        """`counts_for`, from the cache under each article's `comments:<id>` version: a card's
        count, read on every answer (core/slots.py)."""
        versions = tag_versions(comments_tag(pk) for pk in article_ids)
        keys = {pk: f"gaceta:comment-count:{pk}:{versions[comments_tag(pk)]}" for pk in article_ids}
        found = cache.get_many(list(keys.values()))
        counts = {pk: found[key] for pk, key in keys.items() if key in found}
        missing = [pk for pk in article_ids if pk not in counts]
        if missing:
            fresh = self.counts_for(missing)
            fresh = {pk: fresh.get(pk, 0) for pk in missing}
            cache.set_many({keys[pk]: count for pk, count in fresh.items()}, FRAGMENT_TTL)
            counts.update(fresh)
        return counts


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Rejected by a moderator"
        DELETED = "deleted", "Deleted by its author"

    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="comments")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies",
        help_text="The comment this one replies to.",
    )
    imported_author_name = models.CharField(
        max_length=255, blank=True,
        help_text="The name shown on a comment imported from another site (WordPress) whose author is not a member.",
    )
    body = models.TextField(max_length=20000)
    body_html = models.TextField(blank=True, editable=False, help_text="The body as safe HTML, made on save.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    is_featured = models.BooleanField(default=False, help_text="Featured comments are shown first.")
    like_count = models.PositiveIntegerField(default=0, editable=False)
    # A default rather than auto_now_add, so that an import can keep a comment's own date.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    panels = [FieldPanel("status"), FieldPanel("is_featured"), FieldPanel("body")]

    class Meta:
        indexes = [models.Index(fields=["article", "status"], name="comment_article_status")]
        ordering = ["created_at"]

    def __str__(self):
        text = " ".join(self.body.split())
        return (text[:60] + "…") if len(text) > 60 else text or f"Comment {self.pk}"

    def save(self, *args, **kwargs):
        from .rendering import text_to_html

        self.body_html = text_to_html(self.body)
        if kwargs.get("update_fields") and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)

    @property
    def author_name(self) -> str:
        """The name readers see: an imported comment's author as WordPress gave it, else the
        member's public name (members.Member.public_name), never an email address."""
        if self.imported_author_name:
            return self.imported_author_name
        return self.member.public_name if self.member else "Former member"


class CommentLike(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_likes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "member"], name="one_like_per_member")]


class CommentReport(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reports")
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "member"], name="one_report_per_member")]

    def __str__(self):
        return f"Report on comment {self.comment_id}: {self.reason}"


class ModerationAction(models.Model):
    """The log of every moderator action."""

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        FEATURE = "feature", "Featured"
        UNFEATURE = "unfeature", "Unfeatured"
        BAN = "ban", "Banned the author from commenting"
        EDIT = "edit", "Edited"

    comment = models.ForeignKey(Comment, null=True, on_delete=models.SET_NULL, related_name="moderation_actions")
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_action_display()} comment {self.comment_id} by {self.moderator}"
