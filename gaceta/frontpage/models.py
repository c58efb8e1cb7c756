"""The daily front page: what editors pin, then the latest, then a block per section."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, Page
from wagtail.url_routing import RouteResult

from gaceta.core.cache import cached_fragment
from gaceta.core.pages import NewsroomPageMixin
from gaceta.articles.models import ArticlePage, SectionPage, sections_by_path
from gaceta.articles.publishing import breaking_story

TOP_STORIES = 4
# Grids show whole rows: Latest is 2 columns wide on tablets and 3 on desktops (6 fills both),
# a section block 2 and 4 (4 fills both).
LATEST_STORIES = 6
STORIES_PER_SECTION = 4


def whole_rows(stories: list, per_row: int) -> list:
    """The stories that fill whole rows of `per_row`: no card left alone on a last row. Fewer
    than one row are all shown, two by two where there are more than one."""
    if len(stories) >= per_row:
        return stories[: len(stories) - len(stories) % per_row]
    return stories if len(stories) < 2 else stories[: len(stories) - len(stories) % 2]


class FrontPage(NewsroomPageMixin, Page):
    """The newsroom's home page, root of its sections."""

    lead_story = models.ForeignKey(
        "articles.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Pin the day's main story. Empty: the latest story leads.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("lead_story"),
        InlinePanel("pinned_stories", label="Top story", max_num=TOP_STORIES),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["articles.SectionPage", "articles.StandardPage"]
    max_count = 1

    def route(self, request, path_components):
        """Find /<section>/<article>/ in the cache, or with one indexed query, instead of
        Wagtail's level-by-level lookup (four queries).

        Anything else (a section's own sub-routes such as feed/, a draft, a 404) takes Wagtail's
        usual route.
        """
        if len(path_components) == 2 and path_components[1] not in SectionPage.ROUTES:
            section_slug, slug = path_components
            article = cached_fragment(
                f"route:{self.pk}:{section_slug}:{slug}", lambda: self._find_article(section_slug, slug),
                tags=["stories"],  # a publish may give a slug its story
            )
            if article:
                return RouteResult(article)
        return super().route(request, path_components)

    def _find_article(self, section_slug: str, slug: str):
        section_path = next(
            (path for path, card in sections_by_path().items() if card.slug == section_slug), None
        )
        if section_path is None or not section_path.startswith(self.path):
            return False
        article = (
            ArticlePage.objects.live()
            .filter(path__startswith=section_path, depth=self.depth + 2, slug=slug)
            .select_related("lead_image")
            .first()
        )
        return article or False

    def contents(self) -> dict:
        """Everything the front page lists: lead, top stories, latest, and a block per section.

        A breaking story leads while it lasts, then the pinned stories; the latest stories fill
        the places editors left empty. Each story is shown once: a section block lists its stories
        not already above it.
        """
        cards = ArticlePage.objects.for_cards()
        breaking = breaking_story()
        pinned_ids = [breaking.pk] if breaking else []
        pinned_ids += [self.lead_story_id] if self.lead_story_id else []
        pinned_ids += [pin.article_id for pin in self.pinned_stories.all()]
        pinned = {story.pk: story for story in cards.filter(pk__in=pinned_ids)}
        front = [pinned[pk] for pk in dict.fromkeys(pinned_ids) if pk in pinned]
        latest = list(cards.exclude(pk__in=pinned)[: 1 + TOP_STORIES + LATEST_STORIES])
        missing = max(0, 1 + TOP_STORIES - len(front))
        front, latest = front + latest[:missing], whole_rows(latest[missing:][:LATEST_STORIES], LATEST_STORIES)
        shown = {story.pk for story in front + latest}
        blocks = []
        for section in SectionPage.objects.child_of(self).live():
            stories = whole_rows(list(section.articles().exclude(pk__in=shown)[:STORIES_PER_SECTION]), STORIES_PER_SECTION)
            if stories:
                blocks.append({"section": section, "stories": stories})
        return {
            "lead": front[0] if front else None,
            "top": front[1:],
            "latest": latest,
            "sections": blocks,
        }


class PinnedStory(Orderable):
    page = ParentalKey(FrontPage, on_delete=models.CASCADE, related_name="pinned_stories")
    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("article")]
