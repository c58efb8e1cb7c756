"""Sections, articles and the people and outlets they credit.

The page tree is Front page → Section pages → Article pages (see docs/glossary.md).
"""

import re
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.text import slugify
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from django import forms
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, TitleFieldPanel
from wagtail.admin.widgets.slug import SlugInput
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from gaceta.core.cache import depends_only_on, page_tag, versions_key
from gaceta.core.ids import parse_id
from gaceta.core.pages import NewsroomPageMixin
from gaceta.members.access import can_read_in_full, tier_of

from .blocks import ArticleBodyBlock
from .preview import block_texts, preview_blocks, split_at_preview


class Visibility(models.TextChoices):
    PUBLIC = "public", "Everyone"
    MEMBERS = "members", "Members (free sign-up)"
    PAID = "paid", "Paid subscribers"


class Author(index.Indexed, models.Model):
    """A person (or desk) who writes for the newsroom; shown in bylines."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, help_text="Used in the author's archive URL.")
    bio = models.TextField(blank=True, help_text="One or two sentences, shown on the author's page.")
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        # The slug follows the name as it is typed, the way a page's slug follows its title.
        TitleFieldPanel("name", placeholder=False, classname=""),
        # ASCII, as the model's SlugField requires (Wagtail's default allows Unicode).
        FieldPanel("slug", widget=SlugInput(attrs={"data-w-slug-allow-unicode-value": "false"})),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author", args=[self.slug])


class Source(index.Indexed, models.Model):
    """An outlet whose reporting an article draws on ("With reports from Infobae")."""

    name = models.CharField(max_length=120, unique=True)
    url = models.URLField(blank=True, help_text="The outlet's home page (optional).")

    panels = [FieldPanel("name"), FieldPanel("url")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticleByline(Orderable):
    page = ParentalKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")

    panels = [FieldPanel("author")]


class ArticleSource(Orderable):
    page = ParentalKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="sources")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    url = models.URLField(blank=True, help_text="A link to the outlet's own report (optional).")

    panels = [FieldPanel("source"), FieldPanel("url")]

    @property
    def link(self) -> str:
        return self.url or self.source.url


class NoteKind(models.TextChoices):
    CORRECTION = "correction", "Correction"
    CLARIFICATION = "clarification", "Clarification"
    UPDATE = "update", "Update"


class ArticleCorrection(Orderable):
    """A dated editor's note on a story: a correction, a clarification or an update.

    Part of the page (a ParentalKey), so it is revisioned, previewed and published with it.
    """

    page = ParentalKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=NoteKind.choices, default=NoteKind.CORRECTION)
    text = models.TextField(
        help_text="What was wrong and what is right, e.g. “An earlier version of this story gave "
        "the wrong date for the vote. It was on May 4.”"
    )
    noted_at = models.DateTimeField(
        "date", default=timezone.now, help_text="When the note was made; shown with it."
    )

    panels = [FieldPanel("kind"), FieldPanel("text"), FieldPanel("noted_at")]

    class Meta(Orderable.Meta):
        verbose_name = "correction or update"
        indexes = [models.Index(fields=["-noted_at"], name="article_note_noted_at")]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.noted_at:%Y-%m-%d}"

    @property
    def is_correction(self) -> bool:
        """Corrections and clarifications say the story was wrong or unclear; updates add news."""
        return self.kind in (NoteKind.CORRECTION, NoteKind.CLARIFICATION)


class ArticlePageQuerySet(PageQuerySet):
    def published(self):
        """Live articles, newest first.

        The upper bound on the date changes no result (a live article's first publication is in
        the past) but lets the database walk the first_published_at index instead of sorting a
        whole section: 2 ms instead of 10 ms at 10,000 articles on SQLite.
        """
        return self.live().filter(first_published_at__lte=timezone.now()).order_by("-first_published_at", "-pk")

    def for_cards(self):
        """What a story card needs, without the article bodies."""
        return (
            self.published()
            .defer_streamfields()
            .select_related("lead_image")
            .prefetch_related("lead_image__renditions")
        )

    def breaking(self):
        """Live stories marked as breaking news that has not ended yet, newest first."""
        return self.published().filter(breaking_until__gt=timezone.now())

    def with_tag(self, tag_slug: str):
        return self.filter(tagged_items__tag__slug=tag_slug)

    def by_author(self, author):
        return self.filter(bylines__author=author)


class ArticlePageManager(PageManager.from_queryset(ArticlePageQuerySet)):
    pass


def paginate(queryset, page_number, per_page=None):
    """One page of search results; out-of-range numbers give the last page, junk the first."""
    paginator = Paginator(queryset, per_page or settings.GACETA_ARCHIVE_PAGE_SIZE)
    return paginator.get_page(page_number)


class ArchivePage(list):
    """One page of an archive, newest first, and the cursor of the next (older) page.

    Archives page by keyset ("stories published before this one") instead of OFFSET, so page
    1,000 of a million-story archive costs what page 1 does: one indexed range scan.
    """

    older: str = ""
    is_first: bool = True


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_cursor(cursor: str) -> tuple[datetime, int]:
    """A previous page's `older` ("<µs since 1970>-<id>") as (published, pk); BadRequest (a 400
    that says so) for anything else, including dates and ids past what the database holds."""
    match = re.fullmatch(r"([0-9]{1,18})-([0-9]{1,19})", cursor)
    pk = parse_id(match[2]) if match else None
    if pk is not None:
        try:
            return EPOCH + timedelta(microseconds=int(match[1])), pk
        except OverflowError:
            pass
    raise BadRequest("That page of the archive does not exist: “before” must be a cursor from an "
                     "“Older stories” link, such as 1700000000000000-42.")


def archive_page(queryset, cursor: str | None, per_page=None) -> ArchivePage:
    """`queryset` of articles, newest first; `cursor` as a previous page's `older` ("<µs>-<id>")."""
    size = per_page or settings.GACETA_ARCHIVE_PAGE_SIZE
    page = ArchivePage()
    if cursor:
        published, pk = parse_cursor(cursor)
        # "Before (published, pk)", written as a range plus a tie-break so that the database
        # can walk the date index rather than test an OR on every row.
        queryset = queryset.filter(first_published_at__lte=published).exclude(
            first_published_at=published, pk__gte=pk
        )
        page.is_first = False
    items = list(queryset[: size + 1])
    page.extend(items[:size])
    if len(items) > size:
        last = items[size - 1]
        page.older = f"{(last.first_published_at - EPOCH) // timedelta(microseconds=1)}-{last.pk}"
    return page


class SectionPage(NewsroomPageMixin, RoutablePageMixin, Page):
    """A desk of the newsroom (Politics, Economy); its page is the section's archive."""

    intro = models.CharField(max_length=255, blank=True, help_text="One line under the name.")

    # Sub-routes of a section; no article may take these slugs.
    ROUTES = {"feed"}

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["frontpage.FrontPage"]
    subpage_types = ["articles.ArticlePage"]

    def articles(self):
        return ArticlePage.objects.child_of(self).for_cards()

    @path("")
    def archive(self, request):
        """Template `articles/section_page.html`; context: `page`, `stories` (an ArchivePage,
        read only if the cached listing, keyed by `listing_version`, is missing)."""
        return self.render(request, context_overrides=lazy_archive(request, self.articles(), section_tag(self.path)))

    @path("feed/")
    def feed(self, request):
        from .feeds import LatestStoriesFeed

        return LatestStoriesFeed()(request, section=self)


class CommentMode(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed (read only)"
    HIDDEN = "hidden", "Hidden"


class ArticlePageForm(WagtailAdminPageForm):
    """A new story whose slug, taken from its headline, is held by a draft nobody published
    (an autosaved first attempt, say) gets the next free slug instead of an error."""

    def clean(self):
        slug = self.cleaned_data.get("slug")
        if self.instance.pk is None and slug and self.parent_page is not None:
            siblings = self.parent_page.get_children()
            holder = siblings.filter(slug=slug).first()
            if holder is not None and holder.first_published_at is None and not holder.live:
                candidate, number = slug, 1
                while siblings.filter(slug=candidate).exists():
                    number += 1
                    candidate = f"{slug}-{number}"
                self.cleaned_data["slug"] = candidate
                self.instance.slug = candidate
        return super().clean()


class ArticlePage(NewsroomPageMixin, Page):
    """A story: what the reader reads, and everything machines read about it."""

    dek = models.CharField(
        "summary",
        max_length=300,
        help_text="One sentence under the headline, also used on story cards and in search "
        "results, e.g. “Truckers and farmers are blocking highways across Mexico.”",
    )
    dateline = models.CharField(
        max_length=100, blank=True, help_text="Where the story was reported from, e.g. “Saucillo, Chihuahua”."
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown above the story and on cards. Its description is the alt text.",
    )
    lead_image_caption = models.CharField(
        max_length=255, blank=True, help_text="What the photo shows, e.g. “Mexican soldiers training.”"
    )
    lead_image_credit = models.CharField(
        max_length=120, blank=True, help_text="Who took it, e.g. “@Sedena/Twitter”."
    )
    body = StreamField(ArticleBodyBlock())
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    visibility = models.CharField(
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text="Who may read the whole story. Others see the headline, summary and opening.",
    )
    comment_mode = models.CharField(
        "comments", max_length=10, choices=CommentMode.choices, default=CommentMode.OPEN,
        help_text="Closed: comments stay readable but no new ones. Hidden: none shown.",
    )
    rights_notice = models.TextField(
        blank=True,
        help_text="Shown under the story when its text is republished from elsewhere, e.g. its "
        "licence. Web addresses become links.",
    )

    breaking_until = models.DateTimeField(
        "breaking news until",
        null=True,
        blank=True,
        help_text="While this time is to come, a banner on every page links to the story and it "
        "leads the front page. It ends by itself. Empty: not breaking news.",
    )

    import_ref = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text="Where an imported article came from (a corpus id, a WordPress GUID), so that "
        "running an import again skips what is already here.",
    )

    objects = ArticlePageManager()

    base_form_class = ArticlePageForm

    content_panels = [
        TitleFieldPanel("title", heading="Headline", placeholder="Headline*"),
        FieldPanel(
            "dek",
            widget=forms.Textarea(
                attrs={"rows": 3, "maxlength": 300, "data-controller": "gaceta-count"}
            ),
        ),
        InlinePanel("bylines", heading="Bylines", label="byline", min_num=0),
        FieldPanel("dateline"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_image_caption"), FieldPanel("lead_image_credit")],
            heading="Lead image",
        ),
        FieldPanel("body"),
        InlinePanel("sources", heading="With reports from", label="source"),
        FieldPanel("rights_notice"),
        InlinePanel(
            "corrections",
            heading="Corrections and updates",
            label="correction or update",
            help_text="A dated note shown on the story and listed on the corrections page. "
            "Publishing the story publishes the note.",
        ),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("tags")]
    settings_panels = Page.settings_panels + [
        FieldPanel("breaking_until"),
        FieldPanel("visibility"),
        FieldPanel("comment_mode"),
    ]

    # Wagtail's index serves the admin (page search, choosers): headline, summary and tags are
    # enough there. Readers' search and Ask use the passage index (gaceta.answers).
    search_fields = Page.search_fields + [
        index.SearchField("dek", boost=2),
        index.FilterField("visibility"),
        index.FilterField("first_published_at"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2)]),
    ]

    parent_page_types = ["articles.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "article"
        constraints = [
            models.UniqueConstraint(
                fields=["import_ref"], condition=~models.Q(import_ref=""), name="unique_import_ref"
            )
        ]

    @property
    def published_at(self):
        """When the story first ran; a draft's preview shows when it would run."""
        return self.first_published_at or self.go_live_at or timezone.now()

    @property
    def updated_at(self):
        """The last note (correction, update) or the last publication well after the first."""
        first, last = self.first_published_at, self.last_published_at
        republished = last if first and last and last - first > timedelta(minutes=30) else None
        noted = self.notes()[0].noted_at if self.notes() else None
        return max(filter(None, [republished, noted]), default=None)

    @property
    def modified_at(self):
        """When the story last changed, for machines (dateModified, feeds)."""
        noted = self.notes()[0].noted_at if self.notes() else None
        return max(filter(None, [self.last_published_at, noted]), default=self.published_at)

    def notes(self) -> list["ArticleCorrection"]:
        """Corrections, clarifications and updates, newest first."""
        if "_notes" not in self.__dict__:
            self._notes = sorted(self.corrections.all(), key=lambda note: note.noted_at, reverse=True)
        return self._notes

    @cached_property
    def section(self):
        return sections_by_path().get(self.path[: -self.steplen])

    def age_in_years(self) -> int | None:
        """Whole years since publication, once past the age-notice threshold."""
        if not self.published_at:
            return None
        age = timezone.now() - self.published_at
        if age < timedelta(days=settings.GACETA_AGE_NOTICE_DAYS):
            return None
        return max(1, int(age.days // 365.25))

    def byline_authors(self):
        return [byline.author for byline in self.bylines.select_related("author")]

    def source_links(self):
        return list(self.sources.select_related("source"))

    def more_stories(self, count: int = 3):
        """Cards chosen by shared tags, then the same section, then recency."""
        from .related import more_stories

        return more_stories(self, count)

    def clean(self):
        super().clean()
        if self.slug in SectionPage.ROUTES:
            raise ValidationError({"slug": f"“{self.slug}” is reserved for the section's own pages."})

    def dek_opens_body(self) -> bool:
        """Whether the body's first paragraph opens with the dek word for word (an import whose
        summary is its first sentence): the page then shows that sentence once, in the body."""
        texts = block_texts(self.body)
        dek = " ".join(self.dek.split()).rstrip("…")
        return bool(dek and texts) and texts[0].startswith(dek)

    def preview_blocks(self) -> list:
        """The opening a reader who may not read the whole story sees (see preview.py)."""
        return preview_blocks(self.body)

    def body_parts(self) -> tuple[list, list]:
        """For a reader who may read it all: what everyone sees, then the rest (preview.py)."""
        return split_at_preview(self.body)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["age_in_years"] = self.age_in_years()
        context["can_read"] = can_read_in_full(request.user, self)
        context["reader_tier"] = tier_of(request.user)
        # Key part of the fragments of this story's own text (core/cache.py).
        context["page_version"] = SimpleLazyObject(lambda: versions_key([page_tag(self.pk)]))
        return context


class StandardPage(NewsroomPageMixin, Page):
    """A page that is not a story and belongs to no section: About us, Contact, a policy."""

    body = StreamField(ArticleBodyBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    parent_page_types = ["frontpage.FrontPage", "articles.StandardPage"]
    subpage_types = ["articles.StandardPage"]

    class Meta:
        verbose_name = "plain page"


def sections_by_path() -> dict[str, "SectionCard"]:
    """Live sections keyed by tree path: a card finds its section without a query."""
    from gaceta.core.cache import cached_fragment

    def produce():
        return {
            section.path: SectionCard(section.title, section.url, section.slug)
            for section in SectionPage.objects.live().only("path", "title", "url_path", "slug")
        }

    return cached_fragment("sections-by-path", produce)


class SectionCard:
    """The little a card needs to know about a section; cheap to cache."""

    def __init__(self, title: str, url: str, slug: str):
        self.title, self.url, self.slug = title, url, slug

    def __str__(self):
        return self.title


def section_tag(section_path: str) -> str:
    """The cache tag of a section's listing, by the section's tree path (an article knows its
    section's path without a query: `article.path[:-article.steplen]`)."""
    return f"section:{section_path}"


def tag_tag(slug: str) -> str:
    """The cache tag of a tag's listing."""
    return f"tag:{slug}"


def lazy_archive(request, queryset, tag: str) -> dict:
    """Context for a listing whose page shows only it (the section's, a tag's): `stories`, one
    page of `queryset` read only when the cached listing is missing, and `listing_version`, the
    key part of that listing (cache tag `tag`). Cards' comment counts are slots, filled per
    response (core/slots.py), so a comment leaves the listing in place."""
    cursor = request.GET.get("before")
    if cursor:
        parse_cursor(cursor)  # a bad cursor is refused before anything is read or cached
    depends_only_on(tag)
    return {
        "stories": SimpleLazyObject(lambda: archive_page(queryset, cursor)),
        "listing_version": SimpleLazyObject(lambda: versions_key([tag])),
    }
