"""Moving a WordPress site into Gaceta: posts, pages, images, comments and old links.

`import_wordpress` reads the export twice: once for its attachments (a post may show an image
listed after it), then item by item in batches. New posts go in through the bulk path the demo
archive uses (gaceta.articles.bulk); a post imported before is skipped when unchanged and updated
when it changed; a record that fails is reported with its id and the import carries on.
"""

import hashlib
import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from gaceta.search.index import reindex_articles
from gaceta.articles.bulk import ArticleSpec, add_articles, refresh_planner_statistics, unique_slug
from gaceta.articles.models import ArticlePage, Author, SectionPage, StandardPage
from gaceta.comments.models import Comment
from gaceta.comments.rendering import text_to_html
from gaceta.core.cache import bump_content_generation
from gaceta.core.text import summarise
from gaceta.frontpage.setup import ensure_front_page
from gaceta.frontpage.models import TOP_STORIES, FrontPage, PinnedStory

from .comments import comment_text
from .content import ConvertedContent, convert_content, plain_text
from .media import MediaLibrary, attachment_of
from .models import ImportedRecord
from .wxr import Export, WordPressItem

logger = logging.getLogger(__name__)

BATCH = 250
LIVE_STATUSES = {"publish", "private"}
DRAFT_STATUSES = {"draft", "pending", "future"}
SKIPPED_COMMENT_STATUSES = {"spam", "trash", "post-trashed"}
SKIPPED_COMMENT_TYPES = {"pingback", "trackback"}
UNCATEGORISED = {"uncategorized", "uncategorised", "sin-categoria"}


@dataclass
class ImportSummary:
    imported: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (record, reason)
    missing_media: dict[str, str] = field(default_factory=dict)  # URL → why
    dropped: Counter = field(default_factory=Counter)  # content that has no place in Gaceta
    notes: list[str] = field(default_factory=list)

    def fail(self, record: str, reason: str) -> None:
        logger.warning("WordPress import: %s failed: %s", record, reason)
        self.failed.append((record, reason))

    def report(self) -> list[str]:
        """The summary as lines of text, for the command's output and the admin's report."""
        line = lambda counter: ", ".join(f"{count} {what}" for what, count in counter.items() if count) or "none"
        lines = [f"Imported: {line(self.imported)}", f"Updated: {line(self.updated)}",
                 f"Skipped: {line(self.skipped)}", f"Failed: {len(self.failed)}"]
        lines += [f"  {record}: {reason}" for record, reason in self.failed]
        lines.append(f"Missing media: {len(self.missing_media)}")
        lines += [f"  {url} ({why})" for url, why in self.missing_media.items()]
        if self.dropped:
            lines.append(f"Not converted (dropped): {line(self.dropped)}")
        lines += [f"Note: {note}" for note in self.notes]
        return lines


@dataclass
class _Plan:
    """What one post or page becomes, worked out before anything is written."""

    item: WordPressItem
    kind: str  # "post" | "page"
    checksum: str
    title: str
    content: ConvertedContent
    live: bool
    visibility: str = "public"
    section: SectionPage | None = None
    dek: str = ""
    tags: list[str] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    lead: tuple[int | None, str, str] = (None, "", "")


def _checksum(item: WordPressItem) -> str:
    fields = (item.title, item.content, item.excerpt, item.status, item.modified, item.categories,
              item.tags, item.is_sticky, item.password, item.meta.get("_thumbnail_id"), item.slug)
    return hashlib.sha256(repr(fields).encode()).hexdigest()


class Importer:
    def __init__(self, path: Path, *, media_dir: Path | None = None, section_map: dict[str, str] | None = None,
                 default_section: str = "news", progress: Callable[[int], None] | None = None):
        self.export = Export(path)
        self.media = MediaLibrary(media_dir)
        self.section_map = {key.lower(): value for key, value in (section_map or {}).items()}
        self.default_section = default_section
        self.progress = progress or (lambda count: None)
        self.summary = ImportSummary()
        self.authors: dict[str, Author] = {}
        self.sections: dict[str, SectionPage] = {}
        self.sticky: list[int] = []
        self.guid_owners: dict[str, int] = {}

    # --- the whole run ---------------------------------------------------------------------------
    def count_records(self) -> int:
        """Posts and pages in the export; attachments are gathered on the way."""
        total = 0
        for item in self.export.items():
            if isinstance(item, ValueError):
                continue
            if item.post_type == "attachment":
                self.media.add(attachment_of(item))
            elif item.post_type in ("post", "page"):
                total += 1
        return total

    def run(self) -> ImportSummary:
        self.wordpress_authors = self.export.authors()
        with transaction.atomic():
            self.front = ensure_front_page()
        self.media.import_images()
        self.summary.imported["images"] += self.media.imported
        batch, pages, other = [], [], Counter()
        for item in self.export.items():
            if isinstance(item, ValueError):
                self.summary.fail(str(item).split(":")[0], str(item).split(": ", 1)[-1])
                self.progress(1)
                continue
            if item.post_type in ("post", "page"):
                self.make_guid_unique(item)
            if item.post_type == "post":
                batch.append(item)
                if len(batch) >= BATCH:
                    with transaction.atomic():  # one commit per batch: SQLite waits for the disk on each
                        self.import_posts(batch)
                    batch = []
            elif item.post_type == "page":
                pages.append(item)
            elif item.post_type != "attachment":
                other[item.post_type] += 1
        with transaction.atomic():
            self.import_posts(batch)
        self.import_pages(pages)
        self.pin_sticky_posts()
        for post_type, count in sorted(other.items()):
            self.summary.notes.append(f"{count} {post_type} record(s) not imported: Gaceta has no such content.")
        self.summary.missing_media = dict(self.media.missing)
        refresh_planner_statistics()
        bump_content_generation()
        return self.summary

    def make_guid_unique(self, item: WordPressItem) -> None:
        """Some exports give two posts one GUID (a copied post); the second is told apart by its id."""
        owner = self.guid_owners.setdefault(item.guid, item.id)
        if owner != item.id:
            item.guid = f"{item.guid}#post-{item.id}"
            self.guid_owners[item.guid] = item.id

    # --- planning one record ---------------------------------------------------------------------
    def plan(self, item: WordPressItem, kind: str) -> _Plan | None:
        if item.status not in LIVE_STATUSES | DRAFT_STATUSES:
            self.summary.skipped[f"{kind}s with status “{item.status}”"] += 1
            return None
        content = convert_content(item.content, self.media.find, self.media.children_of(item.id))
        title = plain_text(item.title)[:255] or content.first_sentence()[:255] or f"Untitled ({kind} {item.id})"
        plan = _Plan(item=item, kind=kind, checksum=_checksum(item), title=title, content=content,
                     live=item.status in LIVE_STATUSES)
        if kind == "post":
            if item.status == "private" or item.password:
                plan.visibility = "members"
            plan.section, category_tags = self.section_for(item)
            excerpt = plain_text(item.excerpt)
            plan.dek = summarise(excerpt or content.first_sentence() or title)
            plan.tags = list(dict.fromkeys(tag[:100] for tag in item.tags + category_tags))
            plan.authors = [self.author(item.creator)] if item.creator else []
            thumbnail = item.meta.get("_thumbnail_id", "")
            if thumbnail.isdigit():
                info = self.media.find(int(thumbnail), "")
                if info and info.image_id:
                    plan.lead = (info.image_id, info.caption[:255], info.credit[:120])
        if item.status == "future":
            self.summary.notes.append(f"post {item.id}: scheduled in WordPress, imported as a draft.")
        if item.password:
            self.summary.notes.append(f"post {item.id}: password-protected in WordPress, imported for members only.")
        return plan

    def section_for(self, item: WordPressItem) -> tuple[SectionPage, list[str]]:
        """The first mapped category's section (or the default), and the other categories as tags."""
        section, tags = None, []
        for nicename, name in item.categories:
            target = self.section_map.get(nicename.lower()) or self.section_map.get(name.lower())
            if target and section is None:
                section = self.section(target, name)
            elif not target and nicename.lower() not in UNCATEGORISED:
                tags.append(name)
        return section or self.section(self.default_section, self.default_section.replace("-", " ").title()), tags

    def section(self, slug: str, title: str) -> SectionPage:
        if slug not in self.sections:
            section = SectionPage.objects.child_of(self.front).filter(slug=slug).first()
            if section is None:
                section = self.front.add_child(instance=SectionPage(title=title, slug=slug))
                self.summary.notes.append(f"Section “{title}” created at /{slug}/.")
            self.sections[slug] = section
        return self.sections[slug]

    def author(self, login: str) -> Author:
        if login not in self.authors:
            known = self.wordpress_authors.get(login)
            name = known.display_name if known else login
            slug = slugify(login)[:120] or slugify(name)[:120] or "wordpress-author"
            self.authors[login], _ = Author.objects.get_or_create(slug=slug, defaults={"name": name[:120]})
        return self.authors[login]

    def _plans(self, items: list[WordPressItem], kind: str) -> list[_Plan]:
        plans = []
        for item in items:
            try:
                plan = self.plan(item, kind)
            except Exception as error:  # one bad record must not stop a newsroom's move
                self.summary.fail(f"{kind} {item.id}", f"{type(error).__name__}: {error}")
                plan = None
            if plan is not None:
                plans.append(plan)
                self.summary.dropped.update(plan.content.dropped)
        return plans

    # --- posts -----------------------------------------------------------------------------------
    def import_posts(self, items: list[WordPressItem]) -> None:
        if not items:
            return
        records = {r.ref: r for r in ImportedRecord.objects.filter(ref__in=[item.guid for item in items])}
        new, changed = [], []
        for plan in self._plans(items, "post"):
            record = records.get(plan.item.guid)
            if record is None:
                new.append(plan)
            elif record.checksum != plan.checksum:
                changed.append((plan, record))
            else:
                self.summary.skipped["posts already imported"] += 1
        pages = self.add_posts(new)
        # Unchanged posts may still have new comments.
        pages |= {ref: record.page_id for ref, record in records.items() if record.page_id}
        for plan, record in changed:
            self.guarded(f"post {plan.item.id}", self.update_post, plan, record)
        imported = [(item, pages[item.guid]) for item in items if item.guid in pages]
        self.guarded("comments", self.import_comments, imported)
        self.progress(len(items))

    def guarded(self, record: str, function, *args) -> None:
        try:
            with transaction.atomic():
                function(*args)
        except Exception as error:
            self.summary.fail(record, f"{type(error).__name__}: {error}")

    def _spec(self, plan: _Plan) -> ArticleSpec:
        item = plan.item
        published = item.date or timezone.now()
        return ArticleSpec(
            title=plan.title, dek=plan.dek, paragraphs=[], published_at=published, import_ref=item.guid[:255],
            lead_image_id=plan.lead[0], lead_image_caption=plan.lead[1], lead_image_credit=plan.lead[2],
            tags=plan.tags, authors=plan.authors, visibility=plan.visibility, body=plan.content.blocks,
            slug=unquote(item.slug) or plan.title, live=plan.live,
            last_published_at=max(published, item.modified) if item.modified else published,
        )

    def add_posts(self, plans: list[_Plan]) -> dict[str, int]:
        """Insert new posts a section at a time; a batch that fails is retried post by post."""
        by_section = defaultdict(list)
        for plan in plans:
            by_section[plan.section.pk].append(plan)
        for section_plans in by_section.values():
            section = section_plans[0].section
            try:
                add_articles(section, [self._spec(plan) for plan in section_plans])
            except Exception:
                for plan in section_plans:
                    try:
                        add_articles(section, [self._spec(plan)])
                    except Exception as error:
                        self.summary.fail(f"post {plan.item.id}", f"{type(error).__name__}: {error}")
        refs = {plan.item.guid[:255]: plan for plan in plans}
        added = dict(ArticlePage.objects.filter(import_ref__in=refs).values_list("import_ref", "pk"))
        done = [plan for ref, plan in refs.items() if ref in added]
        ImportedRecord.objects.bulk_create(
            ImportedRecord(kind=ImportedRecord.Kind.POST, ref=plan.item.guid, wordpress_id=plan.item.id,
                           page_id=added[plan.item.guid[:255]], checksum=plan.checksum)
            for plan in done
        )
        self.summary.imported["posts"] += sum(plan.live for plan in done)
        self.summary.imported["drafts"] += sum(not plan.live for plan in done)
        self.add_redirects([(plan, added[plan.item.guid[:255]]) for plan in done if plan.live])
        self.sticky += [added[plan.item.guid[:255]] for plan in done if plan.item.is_sticky and plan.live]
        return {plan.item.guid: added[plan.item.guid[:255]] for plan in done}

    def update_post(self, plan: _Plan, record: ImportedRecord) -> None:
        article = ArticlePage.objects.get(pk=record.page_id)
        spec = self._spec(plan)
        article.title = article.draft_title = spec.title
        article.dek, article.body, article.visibility = spec.dek, spec.body, spec.visibility
        article.lead_image_id, article.lead_image_caption, article.lead_image_credit = plan.lead
        if spec.live:
            article.first_published_at = article.first_published_at or spec.published_at
            article.last_published_at = spec.last_published_at
        article.live, article.has_unpublished_changes = spec.live, not spec.live
        article.save()
        article.tags.set(spec.tags, clear=True)
        reindex_articles([article.pk])
        record.checksum = plan.checksum
        record.save(update_fields=["checksum", "updated_at"])
        self.summary.updated["posts"] += 1
        if spec.live:
            self.add_redirects([(plan, article.pk)])

    # --- pages -----------------------------------------------------------------------------------
    def import_pages(self, items: list[WordPressItem]) -> None:
        """Plain pages, parents before children, under the front page or their imported parent."""
        records = {r.ref: r for r in ImportedRecord.objects.filter(kind="page", ref__in=[i.guid for i in items])}
        by_id = {record.wordpress_id: record.page_id for record in records.values()}
        plans = {plan.item.id: plan for plan in self._plans(items, "page")}
        ordered, placed = [], set()

        def place(plan, trail=()):
            parent = plans.get(plan.item.parent_id)
            if parent is not None and parent.item.id not in placed and parent.item.id not in trail:
                place(parent, (*trail, plan.item.id))
            if plan.item.id not in placed:
                placed.add(plan.item.id)
                ordered.append(plan)

        for plan in plans.values():
            place(plan)
        for plan in ordered:
            record = records.get(plan.item.guid)
            if record is not None and record.checksum == plan.checksum:
                self.summary.skipped["pages already imported"] += 1
            elif record is not None:
                self.guarded(f"page {plan.item.id}", self.update_page, plan, record)
            else:
                self.guarded(f"page {plan.item.id}", self.add_page, plan, by_id)
            self.progress(1)
        on_pages = sum(len(item.comments) for item in items)
        if on_pages:
            self.summary.skipped["comments on pages (Gaceta's comments belong to articles)"] += on_pages

    def add_page(self, plan: _Plan, by_id: dict[int, int]) -> None:
        parent_id = by_id.get(plan.item.parent_id)
        parent = Page.objects.get(pk=parent_id).specific if parent_id else self.front
        taken = set(parent.get_children().values_list("slug", flat=True)) | SectionPage.ROUTES
        published = plan.item.date or timezone.now()
        page = StandardPage(
            title=plan.title, slug=unique_slug(unquote(plan.item.slug) or plan.title, taken),
            body=plan.content.blocks, live=plan.live, has_unpublished_changes=not plan.live,
            first_published_at=published if plan.live else None,
            last_published_at=(plan.item.modified or published) if plan.live else None,
        )
        parent.add_child(instance=page)
        by_id[plan.item.id] = page.pk
        ImportedRecord.objects.create(kind=ImportedRecord.Kind.PAGE, ref=plan.item.guid, wordpress_id=plan.item.id,
                                      page=page, checksum=plan.checksum)
        self.summary.imported["pages" if plan.live else "draft pages"] += 1
        if plan.live:
            self.add_redirects([(plan, page.pk)])

    def update_page(self, plan: _Plan, record: ImportedRecord) -> None:
        page = StandardPage.objects.get(pk=record.page_id)
        page.title = page.draft_title = plan.title
        page.body = plan.content.blocks
        page.live = plan.live
        page.save()
        record.checksum = plan.checksum
        record.save(update_fields=["checksum", "updated_at"])
        self.summary.updated["pages"] += 1

    # --- old links -------------------------------------------------------------------------------
    def old_paths(self, plan: _Plan) -> list[str]:
        item = plan.item
        paths = [item.link, item.guid, f"/?{'page_id' if plan.kind == 'page' else 'p'}={item.id}"]
        if plan.kind == "post" and item.local_date and item.slug:
            day = item.local_date
            paths += [f"/{day:%Y/%m}/{item.slug}/", f"/{day:%Y/%m/%d}/{item.slug}/"]
        normalised = []
        for path in paths:
            parts = urlsplit(path)
            if parts.path or parts.query:
                normalised.append(Redirect.normalise_path(parts.path + (f"?{parts.query}" if parts.query else "")))
        return [path for path in dict.fromkeys(normalised) if path != "/"]

    def add_redirects(self, targets: list[tuple[_Plan, int]]) -> None:
        """Permanent redirects from each old address to the new page (Wagtail's redirects)."""
        wanted = {}
        for plan, page_id in targets:
            for path in self.old_paths(plan):
                wanted.setdefault(path, page_id)
        taken = set(Redirect.objects.filter(site=None, old_path__in=wanted).values_list("old_path", flat=True))
        created = Redirect.objects.bulk_create(
            Redirect(old_path=path, site=None, is_permanent=True, redirect_page_id=page_id)
            for path, page_id in wanted.items() if path not in taken
        )
        self.summary.imported["redirects"] += len(created)

    # --- comments --------------------------------------------------------------------------------
    def import_comments(self, posts: list[tuple[WordPressItem, int]]) -> None:
        """Approved comments as published, held ones as awaiting moderation; threads kept."""
        refs = [f"{item.guid}#comment-{c.id}" for item, _ in posts for c in item.comments]
        known = dict(ImportedRecord.objects.filter(kind="comment", ref__in=refs).values_list("ref", "comment_id"))
        new, skipped = [], Counter()
        for item, article_id in posts:
            for wp_comment in item.comments:
                ref = f"{item.guid}#comment-{wp_comment.id}"
                if ref in known:
                    skipped["comments already imported"] += 1
                elif wp_comment.approved in SKIPPED_COMMENT_STATUSES:
                    skipped[f"comments marked {wp_comment.approved}"] += 1
                elif wp_comment.type in SKIPPED_COMMENT_TYPES:
                    skipped[f"{wp_comment.type}s"] += 1
                elif (body := comment_text(wp_comment.content)):
                    new.append((item, article_id, wp_comment, ref, body))
        self.summary.skipped.update(skipped)
        by_ref = dict(known)
        comments = []
        # Parents before replies: each level of the threads is one insert, its parents' ids known.
        for level in self._levels(new):
            rows = [
                Comment(article_id=article_id, imported_author_name=(wp.author or "Anonymous")[:255], body=body,
                        body_html=text_to_html(body), created_at=wp.date or item.date or timezone.now(),
                        parent_id=self._parent(item, wp, by_ref),
                        status=Comment.Status.PUBLISHED if wp.approved == "1" else Comment.Status.PENDING)
                for item, article_id, wp, _ref, body in level
            ]
            Comment.objects.bulk_create(rows, batch_size=500)
            by_ref.update({ref: row.pk for (_i, _a, _w, ref, _b), row in zip(level, rows)})
            ImportedRecord.objects.bulk_create(
                (ImportedRecord(kind=ImportedRecord.Kind.COMMENT, ref=ref, wordpress_id=wp.id, comment_id=row.pk)
                 for (_i, _a, wp, ref, _b), row in zip(level, rows)),
                batch_size=500,
            )
            comments += rows
        self.summary.imported["comments"] += len(comments)

    @staticmethod
    def _levels(new: list[tuple]) -> list[list[tuple]]:
        """New comments grouped by their depth in the thread among the new ones."""
        depth_of: dict[str, int] = {}
        pending = {entry[3]: entry for entry in new}

        def depth(entry, seen=()):
            item, _a, wp, ref, _b = entry
            if ref not in depth_of:
                parent_ref = f"{item.guid}#comment-{wp.parent_id}"
                parent = pending.get(parent_ref) if wp.parent_id and parent_ref not in seen else None
                depth_of[ref] = depth(parent, (*seen, ref)) + 1 if parent else 0
            return depth_of[ref]

        levels: dict[int, list[tuple]] = defaultdict(list)
        for entry in new:
            levels[depth(entry)].append(entry)
        return [levels[number] for number in sorted(levels)]

    @staticmethod
    def _parent(item: WordPressItem, wp_comment, by_ref: dict[str, int]) -> int | None:
        """The imported comment this one replies to; a reply to a skipped comment moves up a level."""
        parents = {c.id: c.parent_id for c in item.comments}
        parent, seen = wp_comment.parent_id, set()
        while parent and parent not in seen:
            seen.add(parent)
            found = by_ref.get(f"{item.guid}#comment-{parent}")
            if found:
                return found
            parent = parents.get(parent, 0)
        return None

    # --- the front page --------------------------------------------------------------------------
    def pin_sticky_posts(self) -> None:
        front = FrontPage.objects.get(pk=self.front.pk)
        pinned = set(front.pinned_stories.values_list("article_id", flat=True))
        for article_id in self.sticky:
            if article_id in pinned:
                continue
            if len(pinned) >= TOP_STORIES:
                self.summary.notes.append(f"Sticky post (article {article_id}) not pinned: the front page has {TOP_STORIES} top stories.")
                continue
            PinnedStory.objects.create(page=front, article_id=article_id, sort_order=len(pinned))
            pinned.add(article_id)
            self.summary.imported["pinned"] += 1


def parse_section_map(pairs) -> dict[str, str]:
    """CATEGORY=SECTION pairs (the command's arguments, the admin form's lines) as a dict;
    ValueError names the first one that is not such a pair."""
    mapping = {}
    for pair in pairs:
        category, separator, section = pair.partition("=")
        if not separator or not category.strip() or not section.strip():
            raise ValueError(f"“{pair}” is not CATEGORY=SECTION")
        mapping[category.strip()] = section.strip()
    return mapping


def import_wordpress(path: Path, **options) -> ImportSummary:
    """Import a WXR file; see Importer for the options. Safe to run again on the same file."""
    importer = Importer(path, **options)
    importer.count_records()
    return importer.run()
