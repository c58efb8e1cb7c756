"""WordPress shortcodes (`[caption]…[/caption]`, `[gallery ids="1,2"]`) turned into plain HTML.

Each shortcode becomes the HTML WordPress itself would have printed, in the shape the block
converter (content.py) reads; the others are dropped and named in the report. This only finds
shortcodes in text: the HTML that results is sanitised later, by nh3, like all imported markup.
"""

import html
import re
from collections import Counter
from dataclasses import dataclass, field

# WordPress's own grammar (wp-includes/shortcodes.php): "[name attrs]", "[name attrs /]",
# "[/name]"; "[[name]]" is an escaped, literal shortcode.
_TAG = re.compile(r"\[(\[?)(/?)([A-Za-z][\w-]*)((?:\s+[^\[\]]*?)?)(/?)\](\]?)")
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)|"([^"]*)"|(\S+)"""
)
VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "dailymotion.com")


@dataclass
class ShortcodeReport:
    converted: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)


def parse_attributes(text: str) -> dict[str, str]:
    attributes, position = {}, 0
    for match in _ATTRIBUTE.finditer(html.unescape(text)):
        if match[1]:
            attributes[match[1].lower()] = match[2]
        elif match[3]:
            attributes[match[3].lower()] = match[4]
        elif match[5]:
            attributes[match[5].lower()] = match[6]
        else:
            attributes[str(position)] = match[7] if match[7] is not None else match[8]
            position += 1
    return attributes


def _escape(value: str) -> str:
    return html.escape(value, quote=True)


def _caption(attributes, inner) -> str:
    attachment = attributes.get("id", "").removeprefix("attachment_")
    caption = f"<figcaption>{_escape(attributes['caption'])}</figcaption>" if attributes.get("caption") else ""
    return f'<figure class="wp-caption" data-attachment="{_escape(attachment)}">{inner}{caption}</figure>'


def _gallery(attributes, inner) -> str:
    ids = attributes.get("ids") or attributes.get("include") or ""
    return f'<figure class="wp-block-gallery" data-ids="{_escape(ids)}"></figure>'


def _embed_url(url: str) -> str:
    url = html.unescape(url).strip()
    if not url.startswith(("http://", "https://")):
        return ""
    return f'<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">{_escape(url)}</div></figure>'


def _embed(attributes, inner) -> str:
    return _embed_url(inner or attributes.get("src", "") or attributes.get("0", ""))


def _media(attributes, inner) -> str:
    """[video] and [audio]: a video on a video site becomes an embed; a media file is dropped."""
    url = attributes.get("src", "") or attributes.get("0", "")
    if any(host in url for host in VIDEO_HOSTS):
        return _embed_url(url)
    return ""


def _credit(attributes, inner) -> str:
    """The Media Credit plugin's `[media-credit name="…"]<img>[/media-credit]`."""
    return f'<span data-credit="{_escape(attributes.get("name", ""))}">{inner}</span>'


CONVERTERS = {
    "caption": _caption,
    "wp_caption": _caption,
    "gallery": _gallery,
    "embed": _embed,
    "video": _media,
    "audio": _media,
    "media-credit": _credit,
}


def expand_shortcodes(text: str, report: ShortcodeReport) -> str:
    """`text` with every shortcode converted or removed.

    A bracketed word is a shortcode when it has a closing tag, a `name=value` attribute, or a known
    name, so that "[sic]", "[simple boat]" and footnote marks like "[1]" stay as text.
    """
    output, position = [], 0
    while True:
        match = _TAG.search(text, position)
        if match is None:
            output.append(text[position:])
            return "".join(output)
        escaped_open, closing, name, attributes, self_closing, escaped_close = match.groups()
        lowered = name.lower()
        closer = re.compile(rf"\[/{re.escape(name)}\]", re.IGNORECASE)
        end_tag = None if (closing or self_closing) else closer.search(text, match.end())
        is_shortcode = bool(end_tag or "=" in attributes or lowered in CONVERTERS or closing)
        output.append(text[position:match.start()])
        if not is_shortcode:
            output.append(match[0])
            position = match.end()
            continue
        if escaped_open and escaped_close:
            # "[[caption]]" is WordPress's way of writing the word itself: still no shortcode on a page.
            report.dropped[lowered] += 1
            position = match.end()
            continue
        if closing:  # a stray closing tag
            position = match.end()
            continue
        inner = ""
        position = match.end()
        if end_tag:
            inner = expand_shortcodes(text[match.end():end_tag.start()], report)
            position = end_tag.end()
        converter = CONVERTERS.get(lowered)
        if converter is None:
            # An unknown shortcode goes; what it wrapped is the author's text and stays.
            report.dropped[lowered] += 1
            output.append(inner)
            continue
        converted = converter(parse_attributes(attributes), inner.strip())
        (report.converted if converted else report.dropped)[lowered] += 1
        output.append(converted)
