"""The demo newsroom: the seed page's stories, the Wikinews archive, or a small original set.

Everything is read in place from the shared data folder (GACETA_DEMO_DATA); nothing of its text
lives in this repository. Running it again adds only what is missing.
"""

import secrets
from collections import defaultdict
from decimal import Decimal
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from gaceta.answers.models import AskSettings
from gaceta.articles.bulk import ArticleSpec, add_articles, refresh_planner_statistics
from gaceta.articles.models import Author, SectionPage, Source
from gaceta.core.cache import bump_content_generation
from gaceta.core.models import NewsroomSettings
from gaceta.core.text import summarise
from gaceta.frontpage.models import FrontPage
from gaceta.frontpage.setup import ensure_front_page

from . import original
from .comments import load_demo_comments
from .newsletters import DEMO_POSTAL_ADDRESS, ensure_demo_newsletters
from .placeholders import make_placeholder
from .seed import SeedArticle, read_seed_page
from .text import place_tags
from .wikinews import SITE_NOTICE, read_corpus

DEMO_EXAMPLE_QUESTION = "Who won Bolivia’s presidential election in December 2005?"
"""Offered under the Ask box: a question the demo archive answers (tests/answers/test_ask.py)."""

SECTIONS = {
    "politics": ("Politics", "Government, elections, security and conflict."),
    "business": ("Business & Economy", "Markets, trade, work and money."),
}
CORPUS_SECTIONS = {"Politics and conflicts": "politics", "Economy and business": "business"}
# Not in the captured text; the story ran on the day the exercise began.
SEED_PUBLISHED = datetime(2023, 4, 6, 9, 30)
SEED_SECTIONS = ["politics", "politics", "politics", "business"]
PLACEHOLDERS_PER_SECTION = 6
PLACEHOLDER_CREDIT = "Placeholder image"


DEMO_MEMBERS = [
    ("reader@example.org", "Rita", "Reader", "free"),
    ("subscriber@example.org", "Sam", "Subscriber", "complimentary"),
]
# The newsroom's people, one per role (see gaceta/articles/roles.py); the reporter writes for
# Politics. desk@ also moderates the demo comments.
DEMO_STAFF = [
    ("reporter@example.org", "Rosa", "Reporter", ["Reporters", "Reporters: Politics"]),
    ("editor@example.org", "Eddie", "Editor", ["Editors"]),
    ("desk@example.org", "Marta", "Desk", ["Moderators"]),
]
# Two archive stories get an editor's note a day after they ran.
DEMO_CORRECTIONS = [
    ("correction", "An earlier version of this story gave the wrong day of the week for the events "
     "it reports. The dates in the story are as the source reported them."),
    ("clarification", "This story has been updated to make clear that the figures it quotes come "
     "from the source's report, not from Gaceta's own reporting."),
]


@dataclass
class LoadReport:
    added: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    data_dir: Path | None = None
    full_archive: bool = False
    new_members: list[tuple[str, str, str]] = field(default_factory=list)

    def count(self, what: str, number: int) -> None:
        self.added[what] += number


def local_time(day, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))


def ensure_sections(front: FrontPage) -> dict[str, SectionPage]:
    sections = {}
    for slug, (title, intro) in SECTIONS.items():
        section = SectionPage.objects.child_of(front).filter(slug=slug).first()
        if section is None:
            section = front.add_child(instance=SectionPage(title=title, slug=slug, intro=intro))
        sections[slug] = section
    return sections


def _seed_spec(story: SeedArticle, published: datetime, authors, source_objects) -> ArticleSpec:
    image = make_placeholder(f"In place of a photo of: {story.image.alt}", story.image.alt)
    return ArticleSpec(
        title=story.title,
        dek=summarise(story.summary),
        paragraphs=story.paragraphs,
        published_at=published,
        import_ref=f"seed:{story.title[:200]}",
        lead_image_id=image.pk,
        lead_image_caption=story.image.caption,
        lead_image_credit=story.image.credit or PLACEHOLDER_CREDIT,
        tags=place_tags(story.title, *story.paragraphs),
        authors=authors,
        sources=[(source, "") for source in source_objects],
    )


def load_seed(data_dir: Path, sections, report: LoadReport) -> None:
    page = read_seed_page(data_dir)
    if page is None:
        return
    desk, _ = Author.objects.get_or_create(
        slug="mexico-news-daily",
        defaults={"name": "Mexico News Daily", "bio": "Stories from a captured page of Mexico News Daily, reproduced for the demo."},
    )
    sources = [Source.objects.get_or_create(name=name)[0] for name in page.article.sources]
    stories = [(page.article, local_time(SEED_PUBLISHED.date(), SEED_PUBLISHED.time()), sources)]
    stories += [
        (teaser, local_time(page.day, time(8, 0)) - timedelta(hours=hour), [])
        for hour, teaser in enumerate(page.teasers)
    ]
    for (story, published, story_sources), slug in zip(stories, SEED_SECTIONS):
        added = add_articles(sections[slug], [_seed_spec(story, published, [desk], story_sources)])
        report.count("seed stories", len(added))


def load_wikinews(data_dir: Path, sections, report: LoadReport, limit: int | None) -> None:
    contributors, _ = Author.objects.get_or_create(
        slug="wikinews-contributors",
        defaults={"name": "Wikinews contributors", "bio": "Reporters of English Wikinews (https://en.wikinews.org), CC BY 2.5."},
    )
    wikinews, _ = Source.objects.get_or_create(name="Wikinews", defaults={"url": "https://en.wikinews.org"})
    pools = {
        slug: [
            make_placeholder(f"{title} archive, picture {n} of {PLACEHOLDERS_PER_SECTION}", f"Placeholder image for the {title} section")
            for n in range(1, PLACEHOLDERS_PER_SECTION + 1)
        ]
        for slug, (title, _) in SECTIONS.items()
    }
    per_section: dict[str, list[ArticleSpec]] = defaultdict(list)
    minutes_into_day: dict = defaultdict(int)
    for number, story in enumerate(read_corpus(data_dir)):
        if limit is not None and number >= limit:
            break
        slug = CORPUS_SECTIONS.get(story.section, "politics")
        minutes_into_day[story.published] += 7
        pool = pools[slug]
        per_section[slug].append(
            ArticleSpec(
                title=story.title,
                dek=story.summary,
                paragraphs=story.body_after_summary(),
                published_at=local_time(story.published, time(8, 0)) + timedelta(minutes=minutes_into_day[story.published]),
                import_ref=story.ref,
                lead_image_id=pool[number % len(pool)].pk,
                lead_image_credit=PLACEHOLDER_CREDIT,
                tags=story.tags,
                authors=[contributors],
                sources=[(wikinews, story.url)],
                rights_notice=story.rights_notice,
                visibility=demo_visibility(number),
            )
        )
    for slug, specs in per_section.items():
        report.count("archive articles", len(add_articles(sections[slug], specs)))


def demo_visibility(number: int) -> str:
    """One archive story in ten is for members, one in ten for paid subscribers."""
    return {3: "members", 7: "paid"}.get(number % 10, "public")


def make_demo_member(email, first, last, *, paid: bool, staff: bool, password: str | None = None):
    from allauth.account.models import EmailAddress

    from gaceta.members.models import Member
    from gaceta.members.services import grant_complimentary_access

    existing = Member.objects.filter(email__iexact=email).first()
    if existing:
        return existing
    member = Member.objects.create_user(
        username=email.split("@")[0], email=email, password=password, first_name=first, last_name=last, is_staff=staff,
        display_name=f"{first} {last[:1]}.",
    )
    EmailAddress.objects.create(user=member, email=email, verified=True, primary=True)
    if paid:
        grant_complimentary_access(member=member, granted_by=None, note="Demo subscriber")
    return member


def ensure_demo_members(report: LoadReport) -> None:
    """A free member and a paid (complimentary) one; passwords are shown once, at creation."""
    from gaceta.members.models import Member

    for email, first, last, tier in DEMO_MEMBERS:
        if Member.objects.filter(email__iexact=email).exists():
            continue
        password = secrets.token_urlsafe(9)
        make_demo_member(email, first, last, paid=tier == "complimentary", staff=False, password=password)
        report.new_members.append((email, password, tier))


def ensure_demo_plan() -> None:
    """A paid plan with a monthly and a yearly price and a trial, unless staff set one already."""
    from gaceta.payments.models import PaidPlan

    if not PaidPlan.objects.exists():
        PaidPlan.objects.create(
            name="Paid subscription", monthly_price=Decimal("5.00"), yearly_price=Decimal("50.00"), trial_days=14,
            description="Every story in full, the comments, and Ask across the whole archive.",
        )


def ensure_demo_staff(report: LoadReport) -> None:
    """A reporter, an editor and a comments moderator; passwords shown once, at creation."""
    from django.contrib.auth.models import Group

    from gaceta.articles.roles import ensure_newsroom_roles
    from gaceta.members.models import Member

    ensure_newsroom_roles()
    for email, first, last, group_names in DEMO_STAFF:
        if Member.objects.filter(email__iexact=email).exists():
            continue
        password = secrets.token_urlsafe(9)
        member = make_demo_member(email, first, last, paid=True, staff=True, password=password)
        member.groups.add(*Group.objects.filter(name__in=group_names))
        report.new_members.append((email, password, ", ".join(group_names)))


def ensure_demo_corrections(report: LoadReport) -> None:
    """Notes on two archive stories, published through revisions as an editor's would be."""
    from gaceta.articles.models import ArticleCorrection, ArticlePage

    if ArticleCorrection.objects.exists():
        return
    archive = ArticlePage.objects.live().exclude(import_ref__startswith="seed:").order_by("pk")
    stories = list(archive.filter(visibility="public")[:2])
    for story, (kind, text) in zip(stories, DEMO_CORRECTIONS):
        noted_at = story.first_published_at + timedelta(days=1)
        story.corrections.add(ArticleCorrection(kind=kind, text=text, noted_at=noted_at))
        story.save_revision().publish()
        # The story's record says it was last published with the note, not today.
        ArticlePage.objects.filter(pk=story.pk).update(last_published_at=noted_at)
    report.count("corrections", len(stories))


def load_original(sections, report: LoadReport) -> None:
    desk, _ = Author.objects.get_or_create(slug="gaceta-desk", defaults={"name": "Gaceta Desk"})
    specs = defaultdict(list)
    today = datetime.now(ZoneInfo(settings.TIME_ZONE)).date()
    for number, story in enumerate(original.STORIES):
        image = make_placeholder(f"In place of a photo of: {story['alt']}", story["alt"])
        specs[story["section"]].append(
            ArticleSpec(
                title=story["title"],
                dek=story["dek"],
                paragraphs=story["paragraphs"],
                published_at=local_time(today - timedelta(days=number // 2), time(7 + number, 0)),
                import_ref=f"original:{number}",
                lead_image_id=image.pk,
                lead_image_credit=PLACEHOLDER_CREDIT,
                tags=story["tags"],
                authors=[desk],
            )
        )
    for slug, section_specs in specs.items():
        report.count("original stories", len(add_articles(sections[slug], section_specs)))


def load_demo_content(data_dir: Path, limit: int | None = None) -> LoadReport:
    report = LoadReport(data_dir=data_dir)
    with transaction.atomic():
        front = ensure_front_page()
        sections = ensure_sections(front)
    report.full_archive = (data_dir / "corpus" / "corpus.jsonl").exists()
    if report.full_archive:
        load_seed(data_dir, sections, report)
        load_wikinews(data_dir, sections, report, limit)
        notice = SITE_NOTICE
    else:
        load_original(sections, report)
        notice = ""
    ensure_demo_members(report)
    ensure_demo_plan()
    ensure_demo_staff(report)
    ensure_demo_corrections(report)
    added_comments = load_demo_comments(make_demo_member)
    if added_comments:
        # The demo's stories are years old: keep their comments open so visitors can try them.
        from gaceta.comments.models import CommentSettings

        CommentSettings.objects.update_or_create(pk=CommentSettings.load().pk, defaults={"close_after_days": 0})
    report.count("comments", added_comments)
    report.count("newsletter subscribers", ensure_demo_newsletters())
    ask_settings = AskSettings.load()
    if not ask_settings.example_question:
        ask_settings.example_question = DEMO_EXAMPLE_QUESTION
        ask_settings.save()
    newsroom = NewsroomSettings.load()
    if not newsroom.postal_address:
        newsroom.postal_address = DEMO_POSTAL_ADDRESS
    if not newsroom.tagline:
        newsroom.tagline = "An independent daily, published with Gaceta"
    if notice and notice not in newsroom.footer_notice:
        newsroom.footer_notice = notice
    newsroom.save()
    refresh_planner_statistics()
    bump_content_generation()
    return report
