"""A WordPress comment's HTML as the plain text Gaceta keeps (comments.rendering escapes it)."""

import html

from lxml import html as lxml_html

from gaceta.comments.models import Comment

MAX_LENGTH = Comment._meta.get_field("body").max_length


def comment_text(content: str) -> str:
    """Paragraphs and line breaks kept, every tag gone."""
    if not content.strip():
        return ""
    if "<" not in content:
        return html.unescape(content).strip()[:MAX_LENGTH]
    root = lxml_html.fragment_fromstring(content.replace("\r\n", "\n"), create_parent="div")
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    for element in root.iter("p", "li", "blockquote"):
        element.tail = "\n\n" + (element.tail or "")
    paragraphs = [" ".join(part.split()) for part in root.text_content().split("\n\n")]
    return "\n\n".join(part for part in paragraphs if part)[:MAX_LENGTH]
