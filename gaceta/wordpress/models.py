"""What an import brought in from WordPress, so that running it again skips or updates it."""

from django.db import models


class ImportedRecord(models.Model):
    """One WordPress record (post, page, attachment or comment) and what it became here."""

    class Kind(models.TextChoices):
        POST = "post", "Post"
        PAGE = "page", "Page"
        ATTACHMENT = "attachment", "Attachment"
        COMMENT = "comment", "Comment"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    ref = models.CharField(
        max_length=500, unique=True,
        help_text="The WordPress GUID; for a comment, its post's GUID and “#comment-<id>”.",
    )
    wordpress_id = models.BigIntegerField(help_text="The post or comment id on the WordPress site.")
    page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey("comments.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    checksum = models.CharField(max_length=64, blank=True, help_text="Of the record as last imported.")
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "imported WordPress record"

    def __str__(self):
        return f"WordPress {self.kind} {self.wordpress_id}"
