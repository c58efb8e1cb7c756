"""What an import brought in from WordPress, so that running it again skips or updates it; and
the imports started from the admin."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
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


class ExportStorage(FileSystemStorage):
    """Uploaded exports hold drafts and private posts: kept in GACETA_IMPORTS_DIR, outside
    MEDIA_ROOT, never served. The folder is read from the settings at each use."""

    @property
    def base_location(self):
        return str(settings.GACETA_IMPORTS_DIR)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def export_storage():
    return ExportStorage()


class WordPressImport(models.Model):
    """An import started from the admin: the uploaded export, its options, and what came of it.
    The export file is deleted once the import has run."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    export = models.FileField(upload_to="wordpress/%Y/%m/", storage=export_storage, blank=True)
    file_name = models.CharField(max_length=255, help_text="The name of the file as uploaded.")
    section_map = models.JSONField(default=dict, blank=True, help_text="WordPress category → section slug.")
    default_section = models.SlugField(default="news")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    records_total = models.PositiveIntegerField(null=True, blank=True)
    records_done = models.PositiveIntegerField(default=0)
    progress_at = models.DateTimeField(null=True, blank=True, help_text="When the running import last moved on.")
    report = models.TextField(blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "WordPress import"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display().lower()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
