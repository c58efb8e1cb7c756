"""Ask's settings and what readers asked."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from gaceta.core.ratelimit import parse_rate


def validate_rate(value: str) -> None:
    if not value:
        return
    try:
        parse_rate(value)
    except ValueError as error:
        raise ValidationError("Write a rate as a number of questions per period, e.g. “30/h”, “200/d”.") from error


@register_setting(icon="help")
class AskSettings(BaseGenericSetting):
    """Staff overrides of the Ask rate limits; blank uses the server's default."""

    rate_anonymous = models.CharField(
        "readers without an account", max_length=20, blank=True, validators=[validate_rate],
        help_text="Questions per reader's address, e.g. “30/h”. Blank: the server default.",
    )
    rate_member = models.CharField(
        "free members", max_length=20, blank=True, validators=[validate_rate],
        help_text="Questions per member, e.g. “60/h”. Blank: the server default.",
    )
    rate_paid = models.CharField(
        "paid subscribers", max_length=20, blank=True, validators=[validate_rate],
        help_text="Questions per subscriber, e.g. “300/h”. Blank: the server default.",
    )

    example_question = models.CharField(
        max_length=300, blank=True,
        help_text="Offered under the box on the Ask page as a question to try. Pick one the archive "
        "answers well, and ask it yourself first. Blank: none is offered.",
    )

    panels = [
        FieldPanel("example_question"),
        HelpPanel(content="How many questions readers may ask. Rates are a number per period: "
                  "s, m, h or d, e.g. “30/h” or “500/d”."),
        FieldPanel("rate_anonymous"),
        FieldPanel("rate_member"),
        FieldPanel("rate_paid"),
    ]

    class Meta:
        verbose_name = "Ask"

    @classmethod
    def current(cls) -> "AskSettings":
        """The saved settings, or the defaults unsaved: unlike `load()`, a reader's request never
        writes the row (a write waits for SQLite's lock)."""
        return cls.objects.first() or cls()

    def rate_for(self, tier: str) -> str:
        override = {"anonymous": self.rate_anonymous, "free": self.rate_member, "paid": self.rate_paid}[tier]
        return override or settings.GACETA_ASK_RATES[tier]


class AskedQuestion(models.Model):
    """A question a reader asked, kept for editors. No reader, address or session is stored."""

    question = models.CharField(max_length=300)
    asked_at = models.DateTimeField(auto_now_add=True, db_index=True)
    answered = models.BooleanField()
    reader_tier = models.CharField(max_length=10)
    cited_articles = models.ManyToManyField("articles.ArticlePage", blank=True, related_name="+")
    helpful_votes = models.PositiveIntegerField(default=0)
    unhelpful_votes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = "asked question"

    def __str__(self):
        return self.question


class SentenceVectors(models.Model):
    """The sentence vectors of a passage: one row per sentence the reader reads in it, in order,
    as float16 bytes (`vectors.py` writes and reads them; nothing else does).

    Computed in the background when passages are written (`tasks.embed_article_passages`), so
    that a question embeds only itself and the headlines. A re-indexed article gets new
    passages, and the old ones' vectors go with them: the database cascades (its constraint is
    made by migration 0005, so that deleting passages stays one statement).
    """

    passage = models.OneToOneField(
        "search.Passage", on_delete=models.DO_NOTHING, db_constraint=False, primary_key=True,
        related_name="sentence_vectors",
    )
    vectors = models.BinaryField()
    # Where those sentences stand in the passage's text, so that a question need not split it
    # again; null in rows stored before the column (the reader splits those itself).
    bounds = models.BinaryField(null=True)

    class Meta:
        verbose_name = "sentence vectors"
        verbose_name_plural = "sentence vectors"
        # The rows the hourly backfill still has to give bounds (none, once it has run): without
        # it, finding none reads every row's vectors (SQLite stores bounds after the blob).
        indexes = [models.Index(fields=["passage"], condition=models.Q(bounds__isnull=True),
                                name="answers_vectors_without_bounds")]

    def __str__(self):
        return f"Sentence vectors of passage {self.passage_id}"
