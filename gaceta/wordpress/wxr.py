"""Reading a WordPress export (WXR: RSS 2.0 with WordPress's own elements) as plain records.

The file comes from outside: lxml parses it without resolving entities, loading a DTD or
touching the network, and streams it item by item so a large export stays small in memory.
"""

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from lxml import etree

# WXR 1.0–1.2 use several namespace URIs for the same elements; they are told apart by their ends.
NAMESPACE_PREFIXES = [
    ("/export/1.", "/excerpt/", "excerpt"),
    ("/export/1.", "", "wp"),
    ("purl.org/rss/1.0/modules/content", "", "content"),
    ("purl.org/dc/elements", "", "dc"),
]
NO_DATE = "0000-00-00 00:00:00"


class ExportError(ValueError):
    """The file is not a WordPress export that can be read."""


@dataclass
class WordPressComment:
    id: int
    parent_id: int
    author: str
    date: datetime
    content: str
    approved: str  # "1", "0" (held for moderation), "spam", "trash", "post-trashed"
    type: str  # "comment", "pingback", "trackback", or "" (a comment) in older exports


@dataclass
class WordPressItem:
    """One <item>: a post, page, attachment, menu entry or any custom type."""

    id: int
    guid: str
    post_type: str
    status: str
    title: str = ""
    link: str = ""
    slug: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date: datetime | None = None
    modified: datetime | None = None
    local_date: datetime | None = None  # the site's own clock, as date-based permalinks use it
    parent_id: int = 0
    menu_order: int = 0
    is_sticky: bool = False
    password: str = ""
    attachment_url: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # (nicename, name)
    tags: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[WordPressComment] = field(default_factory=list)


@dataclass
class WordPressAuthor:
    login: str
    display_name: str


@functools.lru_cache(maxsize=256)
def _name_of_tag(tag: str) -> str:
    """"wp:post_id" for "{https://wordpress.org/export/1.2/}post_id", whatever the WXR version."""
    qname = etree.QName(tag)
    for marker, ending, prefix in NAMESPACE_PREFIXES:
        if qname.namespace and marker in qname.namespace and qname.namespace.endswith(ending):
            return f"{prefix}:{qname.localname}"
    return qname.localname


def _name(element) -> str:
    return _name_of_tag(element.tag)


def _children(element) -> dict[str, str]:
    return {_name(child): (child.text or "").strip() for child in element if isinstance(child.tag, str)}


def parse_date(local: str, gmt: str = "") -> datetime | None:
    """WordPress stores each date twice: in UTC and in the site's time; UTC when it is set."""
    if gmt and gmt != NO_DATE:
        return datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    if local and local != NO_DATE:
        return datetime.strptime(local, "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return None


def _integer(value: str, what: str) -> int:
    try:
        return int(value or 0)
    except ValueError:
        raise ValueError(f"{what} is not a number: {value!r}") from None


def _comment(element) -> WordPressComment:
    values = _children(element)
    return WordPressComment(
        id=_integer(values.get("wp:comment_id"), "comment id"),
        parent_id=_integer(values.get("wp:comment_parent"), "comment parent"),
        author=values.get("wp:comment_author", ""),
        date=parse_date(values.get("wp:comment_date", ""), values.get("wp:comment_date_gmt", "")),
        content=values.get("wp:comment_content", ""),
        approved=values.get("wp:comment_approved", ""),
        type=values.get("wp:comment_type", ""),
    )


def parse_item(element) -> WordPressItem:
    """An <item> element as a record; ValueError names what is wrong with a broken one."""
    values = _children(element)
    post_id = _integer(values.get("wp:post_id"), "post id")
    item = WordPressItem(
        id=post_id,
        guid=values.get("guid", "") or f"wordpress-post-{post_id}",
        post_type=values.get("wp:post_type", "post"),
        status=values.get("wp:status", "publish"),
        title=values.get("title", ""),
        link=values.get("link", ""),
        slug=values.get("wp:post_name", ""),
        creator=values.get("dc:creator", ""),
        content=values.get("content:encoded", ""),
        excerpt=values.get("excerpt:encoded", ""),
        parent_id=_integer(values.get("wp:post_parent"), "post parent"),
        menu_order=_integer(values.get("wp:menu_order"), "menu order"),
        is_sticky=values.get("wp:is_sticky") == "1",
        password=values.get("wp:post_password", ""),
        attachment_url=values.get("wp:attachment_url", ""),
    )
    try:
        item.date = parse_date(values.get("wp:post_date", ""), values.get("wp:post_date_gmt", ""))
        item.modified = parse_date(values.get("wp:post_modified", ""), values.get("wp:post_modified_gmt", ""))
        local = values.get("wp:post_date", "")
        item.local_date = datetime.strptime(local, "%Y-%m-%d %H:%M:%S") if local and local != NO_DATE else None
    except ValueError as error:
        raise ValueError(f"unreadable date ({error})") from None
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = _name(child)
        if name == "category":
            text = (child.text or "").strip()
            if child.get("domain") == "category":
                item.categories.append((child.get("nicename", ""), text))
            elif child.get("domain") == "post_tag" and text:
                item.tags.append(text)
        elif name == "wp:postmeta":
            meta = _children(child)
            item.meta[meta.get("wp:meta_key", "")] = meta.get("wp:meta_value", "")
        elif name == "wp:comment":
            item.comments.append(_comment(child))
    return item


class Export:
    """A WXR file, read lazily: `authors()` and `categories()` from the channel, `items()` streamed."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def _events(self) -> Iterator:
        try:
            yield from etree.iterparse(
                str(self.path), events=("end",), resolve_entities=False, load_dtd=False,
                no_network=True, remove_blank_text=True,
            )
        except etree.XMLSyntaxError as error:
            raise ExportError(f"{self.path.name} is not well-formed XML: {error}") from None

    def elements(self) -> Iterator[tuple[str, etree._Element]]:
        """("item" | "wp:author", element) in file order; each is freed once the caller is done."""
        seen_channel = False
        for _event, element in self._events():
            if not isinstance(element.tag, str):
                continue
            name = _name(element)
            if name == "channel":
                seen_channel = True
            if name in ("item", "wp:author"):
                yield name, element
                element.clear()
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
        if not seen_channel:
            raise ExportError(f"{self.path.name} is not a WordPress export (no RSS channel).")

    def authors(self) -> dict[str, WordPressAuthor]:
        """Authors by login (the name in each item's dc:creator)."""
        authors = {}
        for name, element in self.elements():
            if name == "wp:author":
                values = _children(element)
                login = values.get("wp:author_login", "")
                authors[login] = WordPressAuthor(login, values.get("wp:author_display_name", "") or login)
            elif name == "item":
                break
        return authors

    def items(self) -> Iterator[WordPressItem | ValueError]:
        """Every item as a record, or, for one that cannot be read, the error (with its id)."""
        for name, element in self.elements():
            if name != "item":
                continue
            try:
                yield parse_item(element)
            except ValueError as error:
                post_id = _children(element).get("wp:post_id", "?")
                yield ValueError(f"item {post_id}: {error}")
