"""A WordPress post's content (classic HTML or Gutenberg blocks) as Gaceta's StreamField blocks.

Gutenberg saves blocks as HTML between `<!-- wp:name -->` comments, so both kinds of content are
read the same way: shortcodes expanded, paragraphs made (classic content has none), the HTML
parsed by lxml and walked element by element. Comments never come through, and rich text is
cleaned by nh3 to the tags the paragraph block allows.
"""

import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import nh3
from lxml import etree
from lxml import html as lxml_html

from gaceta.core.text import split_sentences

from .shortcodes import ShortcodeReport, expand_shortcodes

RICH_TEXT_TAGS = {"p", "b", "strong", "i", "em", "a", "br", "ul", "ol", "li", "h2", "h3"}
HEADING_LEVELS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "div", "dl", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "iframe", "nav", "ol", "p", "pre", "section", "table", "ul",
    "audio", "video", "script", "style", "object",
}
# The parts of lists and tables, which wpautop also keeps out of paragraphs.
LIST_PARTS = {"li", "dt", "dd", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "figcaption"}
# The tags that start and end a paragraph of their own in classic content (wpautop's "allblocks";
# media and scripts may stand inside a paragraph).
PARAGRAPH_EDGES = BLOCK_TAGS - {"audio", "video", "iframe", "object", "script", "style"} | LIST_PARTS
BLOCK_EDGE = re.compile(r"<(?:{tags})\b[^>]*>|</(?:{tags})>".format(tags="|".join(sorted(PARAGRAPH_EDGES))),
                        re.IGNORECASE)
PREFORMATTED = re.compile(r"(<pre\b.*?</pre>)", re.IGNORECASE | re.DOTALL)
# A chunk that opens with one of these is not wrapped in <p>.
UNWRAPPED = BLOCK_TAGS | LIST_PARTS
LEADING_TAG = re.compile(r"</?([a-z][a-z0-9]*)", re.IGNORECASE)
DROPPED_TAGS = {"script", "style", "form", "input", "button", "select", "textarea", "object", "noscript", "svg"}
# Gutenberg blocks whose content converts (or, for layout blocks, whose inner blocks do).
CONVERTED_BLOCKS = {
    "paragraph", "heading", "list", "list-item", "quote", "pullquote", "image", "gallery", "embed",
    "table", "code", "preformatted", "verse", "separator", "buttons", "button", "columns", "column",
    "group", "cover", "media-text", "html", "shortcode", "freeform", "spacer", "video",
}


@dataclass
class ImageInfo:
    """An image the content refers to: the Wagtail image when its file was found."""

    url: str
    image_id: int | None
    caption: str = ""
    credit: str = ""


# Find an image by attachment id or URL; None when the export does not know it.
ImageLookup = Callable[[int | None, str], ImageInfo | None]


@dataclass
class ConvertedContent:
    blocks: list[dict] = field(default_factory=list)
    missing_media: list[str] = field(default_factory=list)
    dropped: Counter = field(default_factory=Counter)
    converted: Counter = field(default_factory=Counter)

    def first_sentence(self) -> str:
        for block in self.blocks:
            if block["type"] == "paragraph":
                text = plain_text(block["value"])
                if text:
                    return (split_sentences(text) or [text])[0]
        return ""


def plain_text(markup: str) -> str:
    return " ".join(html.unescape(nh3.clean(markup, tags=set())).split())


def clean_rich_text(markup: str) -> str:
    return nh3.clean(
        markup, tags=RICH_TEXT_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https", "mailto"},
        link_rel=None,
    ).strip()


def autop(text: str) -> str:
    """Classic content's paragraphs, as WordPress's wpautop makes them: a blank line between two
    paragraphs, a single line break inside one; a block tag (a list, a heading) starts and ends
    a paragraph of its own even with no blank line around it, and a <pre> is kept as it is."""
    chunks = []
    for n, part in enumerate(PREFORMATTED.split(text.replace("\r\n", "\n"))):
        if n % 2:
            chunks.append(part)
            continue
        for chunk in BLOCK_EDGE.sub(_own_paragraph, part).split("\n\n"):
            chunk = chunk.strip()
            if chunk:
                tag = LEADING_TAG.match(chunk)
                unwrapped = tag and tag.group(1).lower() in UNWRAPPED
                chunks.append(chunk if unwrapped else "<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(chunks)


def _own_paragraph(match: re.Match) -> str:
    tag = match.group(0)
    return tag + "\n\n" if tag.startswith("</") else "\n\n" + tag


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _serialise(element) -> str:
    return etree.tostring(element, encoding="unicode", method="html", with_tail=False)


def _inner_html(element) -> str:
    parts = [html.escape(element.text or "", quote=False)]
    parts += [etree.tostring(child, encoding="unicode", method="html") for child in element]
    return "".join(parts)


class _Walker:
    def __init__(self, find_image: ImageLookup, gallery_ids: list[int]):
        self.find_image = find_image
        self.gallery_ids = gallery_ids
        self.result = ConvertedContent()
        self.inline: list[str] = []  # loose inline content waiting to become a paragraph

    # --- output -------------------------------------------------------------------------------
    def add(self, block_type: str, value) -> None:
        self.flush()
        self.result.blocks.append({"type": block_type, "value": value})

    def paragraph(self, markup: str) -> None:
        cleaned = clean_rich_text(markup)
        if plain_text(cleaned):
            self.add("paragraph", cleaned)

    def flush(self) -> None:
        if self.inline:
            markup, self.inline = "".join(self.inline), []
            cleaned = clean_rich_text(f"<p>{markup}</p>")
            if plain_text(cleaned):
                self.result.blocks.append({"type": "paragraph", "value": cleaned})

    def image(self, info: ImageInfo | None, url: str, caption: str = "", credit: str = "") -> None:
        if info is None or info.image_id is None:
            self.result.missing_media.append(info.url if info else url)
            return
        self.add("image", {"image": info.image_id, "caption": caption or info.caption, "credit": credit or info.credit})

    # --- reading ------------------------------------------------------------------------------
    def walk_children(self, element) -> None:
        if element.text and element.text.strip():
            self.inline.append(html.escape(element.text, quote=False))
        for child in element:
            self.walk(child)
            if child.tail and (child.tail.strip() or self.inline):
                self.inline.append(html.escape(child.tail, quote=False))

    def walk(self, element) -> None:
        if isinstance(element, etree._Comment):
            self.note_block_comment(element.text or "")
            return
        if not isinstance(element.tag, str):
            return
        tag = element.tag.lower()
        classes = _classes(element)
        if tag in DROPPED_TAGS:
            self.result.dropped[f"<{tag}>"] += 1
        elif tag == "p":
            self.walk_paragraph(element)
        elif tag in HEADING_LEVELS:
            level = HEADING_LEVELS[tag]
            self.paragraph(f"<{level}>{_inner_html(element)}</{level}>")
        elif tag in ("ul", "ol"):
            self.paragraph(_serialise(element))
        elif tag == "dl":
            self.definitions(element)
        elif tag == "blockquote":
            self.quote(element)
        elif tag == "figure" or "wp-caption" in classes:
            self.figure(element, classes)
        elif tag == "img":
            self.walk_image(element)
        elif tag == "table":
            self.table(element)
        elif tag == "pre":
            text = element.text_content().strip("\n")
            if text.strip():
                self.add("code", text)
        elif tag == "hr":
            self.add("separator", None)
        elif tag == "iframe":
            self.embed(element.get("src", ""))
        elif tag in ("audio", "video"):
            self.result.dropped[f"<{tag}>"] += 1
        elif tag in BLOCK_TAGS or tag in ("span", "center", "main") and self.has_blocks(element):
            # Layout (columns, groups, covers): what is inside, in order.
            self.flush()
            self.walk_children(element)
            self.flush()
        else:
            self.walk_inline(element)

    def definitions(self, element) -> None:
        """A definition list as paragraphs: each term in bold, each definition under it."""
        for child in element:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if tag in ("dt", "dd") and _text(child):
                inner = _inner_html(child).strip()
                self.paragraph(f"<p><strong>{inner}</strong></p>" if tag == "dt" else f"<p>{inner}</p>")

    def has_blocks(self, element) -> bool:
        return any(isinstance(child.tag, str) and child.tag.lower() in BLOCK_TAGS | {"img"} for child in element.iter())

    def walk_inline(self, element) -> None:
        images = [image for image in element.iter("img")]
        if images:
            for image in images:
                self.walk_image(image)
                self._remove(image)
        tail, element.tail = element.tail, None
        self.inline.append(_serialise(element))
        element.tail = tail

    def walk_paragraph(self, element) -> None:
        if any(isinstance(child.tag, str) and child.tag.lower() in BLOCK_TAGS | {"img"} for child in element.iter()
               if child is not element):
            self.flush()
            self.walk_children(element)
            self.flush()
        else:
            self.paragraph(_serialise(element))

    def walk_image(self, element) -> None:
        credit_holder = next((node for node in element.iterancestors() if node.get("data-credit")), None)
        credit = credit_holder.get("data-credit", "") if credit_holder is not None else ""
        self.image(self.lookup(element), element.get("src", ""), credit=credit)

    def lookup(self, element) -> ImageInfo | None:
        attachment_id = None
        for name in _classes(element):
            if name.startswith("wp-image-") and name[9:].isdigit():
                attachment_id = int(name[9:])
        if attachment_id is None and (element.get("data-id") or "").isdigit():
            attachment_id = int(element.get("data-id"))
        return self.find_image(attachment_id, element.get("src", ""))

    def quote(self, element) -> None:
        citations = element.findall(".//cite")
        attribution = " ".join(_text(cite) for cite in citations)
        for cite in citations:
            self._remove(cite)
        text = _text(element)
        if text:
            self.add("quote", {"text": text, "attribution": attribution})

    def figure(self, element, classes) -> None:
        if "wp-block-gallery" in classes and element.get("data-ids") is not None:
            ids = [int(part) for part in element.get("data-ids").split(",") if part.strip().isdigit()]
            for attachment_id in ids or self.gallery_ids:
                self.image(self.find_image(attachment_id, ""), f"attachment {attachment_id}")
            return
        if "wp-block-embed" in classes or "wp-block-video" in classes and element.find(".//iframe") is not None:
            wrapper = element.find(".//div")
            iframe = element.find(".//iframe")
            url = _text(wrapper) if wrapper is not None else (iframe.get("src", "") if iframe is not None else "")
            self.embed(url)
            return
        if element.find(".//blockquote") is not None:  # a pullquote
            for quote in element.iter("blockquote"):
                self.quote(quote)
            return
        if element.find(".//table") is not None:
            for table in element.iter("table"):
                self.table(table)
            return
        images = list(element.iter("img"))
        if not images:
            self.flush()
            self.walk_children(element)
            self.flush()
            return
        credit_holder = next((node for node in element.iter() if node.get("data-credit")), None)
        credit = credit_holder.get("data-credit", "") if credit_holder is not None else ""
        captions = {image: "" for image in images}
        if len(images) == 1:
            captions[images[0]] = _text(element)
        else:
            for image in images:
                holder = next((node for node in image.iterancestors() if node.tag in ("figure", "li")), None)
                caption = holder.find(".//figcaption") if holder is not None and holder is not element else None
                captions[image] = _text(caption) if caption is not None else ""
        for image in images:
            self.image(self.lookup(image), image.get("src", ""), captions[image], credit)

    def table(self, element) -> None:
        rows = []
        for row in element.iter("tr"):
            rows.append([_text(cell) for cell in row if isinstance(cell.tag, str) and cell.tag in ("td", "th")])
        width = max((len(row) for row in rows), default=0)
        if not width:
            return
        rows = [row + [""] * (width - len(row)) for row in rows]
        first = next(element.iter("tr"))
        header = all(isinstance(cell.tag, str) and cell.tag == "th" for cell in first if isinstance(cell.tag, str))
        caption = element.find(".//caption")
        self.add("table", {
            "data": rows, "first_row_is_table_header": header, "first_col_is_header": False,
            "table_caption": _text(caption) if caption is not None else "",
        })

    def embed(self, url: str) -> None:
        url = url.strip()
        if url.startswith("//"):
            url = "https:" + url
        if url.startswith(("http://", "https://")):
            self.add("embed", url)
        else:
            self.result.dropped["embed without a web address"] += 1

    def note_block_comment(self, text: str) -> None:
        """Count Gutenberg blocks that carry nothing Gaceta can show (latest posts, a search box)."""
        words = text.strip().split()
        if not words or not words[0].startswith("wp:"):
            return
        name = words[0][3:].removeprefix("core/")
        if name not in CONVERTED_BLOCKS and not name.startswith("core-embed/"):
            self.result.dropped[f"block {name}"] += 1

    @staticmethod
    def _remove(element) -> None:
        parent = element.getparent()
        if parent is None:
            return
        if element.tail:
            previous = element.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + element.tail
            else:
                parent.text = (parent.text or "") + element.tail
        parent.remove(element)


def convert_content(content: str, find_image: ImageLookup, gallery_ids: list[int] | None = None) -> ConvertedContent:
    """`content` as StreamField data (`[{"type": "paragraph", "value": "<p>…</p>"}, …]`)."""
    shortcodes = ShortcodeReport()
    text = expand_shortcodes(content, shortcodes)
    if "<!-- wp:" not in text:
        text = autop(text)
    walker = _Walker(find_image, gallery_ids or [])
    if text.strip():
        root = lxml_html.fragment_fromstring(text, create_parent="div")
        walker.walk_children(root)
        walker.flush()
    walker.result.converted.update({f"[{name}]": count for name, count in shortcodes.converted.items()})
    walker.result.dropped.update({f"[{name}]": count for name, count in shortcodes.dropped.items()})
    return walker.result
