"""The passage index: the archive's paragraphs that site search and Ask read.

The full-text index over passages is not a Django field: it is the database's own engine, set up
by migrations 0002 and 0003 of `answers` (an FTS5 table kept in step by triggers on SQLite, a
generated tsvector column with a GIN index on PostgreSQL) and queried in `retrieval.py`.
"""

from django.db import models


class Passage(models.Model):
    """A paragraph of a published article, with its headline and date as context.

    Position 0 is the article's headline and summary. `in_full` marks the passages of the story
    as a reader who may read all of it sees it; `is_preview` the passages every reader sees on
    the article page (headline, summary, the preview). A paragraph that the preview cuts has a
    second passage at its position, the cut one, `is_preview` and not `in_full`.
    """

    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=255)
    text = models.TextField()
    section = models.CharField(max_length=255, blank=True)
    published_at = models.DateTimeField()
    visibility = models.CharField(max_length=10)
    is_preview = models.BooleanField(default=False)
    in_full = models.BooleanField(default=True)

    class Meta:
        # The table was made when passages belonged to Ask (migrations of `answers`); the full-
        # text index and its triggers are named after it.
        db_table = "answers_passage"
        constraints = [
            models.UniqueConstraint(fields=["article", "position", "in_full"], name="unique_passage_position")
        ]
        indexes = [models.Index(fields=["published_at"])]

    def __str__(self):
        return f"{self.title} ¶{self.position}"
