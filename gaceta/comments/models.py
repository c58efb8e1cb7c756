"""Readers' comments on articles.

The foundation only counts them (cards and articles show the count to everyone); writing,
reading and moderating them belong to the comments issue.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count


class CommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Comment.Status.PUBLISHED)

    def counts_for(self, article_ids) -> dict[int, int]:
        """Published comments per article, for a whole list of articles in one query."""
        if not article_ids:
            return {}
        rows = (
            self.published()
            .filter(article_id__in=article_ids)
            .values("article_id")
            .annotate(total=Count("id"))
            .values_list("article_id", "total")
        )
        return dict(rows)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Hidden by a moderator"
        DELETED = "deleted", "Deleted by its author"

    article = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="comments"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    body = models.TextField(max_length=5000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["article", "status"], name="comment_article_status")]

    def __str__(self):
        return f"Comment {self.pk} on article {self.article_id}"
