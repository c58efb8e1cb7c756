"""The preview: the opening of a story that a reader who may not read all of it sees.

One rule, used by the article page, the passage index behind search and Ask, and the checks
both make when they serve: an editor's preview break, when the body has one, ends the preview;
otherwise it holds at most `GACETA_PREVIEW_PARAGRAPHS` text blocks and at most
`GACETA_PREVIEW_MAX_SHARE` of the story's words, cutting inside a paragraph by whole sentences,
and never less than the first sentence.
"""

import html
from dataclasses import dataclass

from django.conf import settings
from django.utils.html import escape, strip_tags
from wagtail.blocks import StreamValue
from wagtail.rich_text import RichText

from gaceta.core.text import split_sentences

TEXT_BLOCKS = ("paragraph", "quote")
BREAK_BLOCK = "preview_break"


def plain_text(markup: str) -> str:
    """Text of rich text: tags gone, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(markup.replace("</li>", "</li>\n"))).split())


def block_text(block) -> str:
    if block.block_type == "paragraph":
        return plain_text(block.value.source)
    if block.block_type == "quote":
        return " ".join(block.value["text"].split())
    return ""


def block_texts(body) -> list[str]:
    """The text blocks of a body (paragraphs and quotes) as plain text, in order."""
    return [text for text in (block_text(block) for block in body if block.block_type in TEXT_BLOCKS) if text]


@dataclass(frozen=True)
class PreviewCut:
    """How much of a story's text blocks the preview shows: `whole` blocks, then the first
    `sentences` sentences of the next one."""

    whole: int
    sentences: int = 0


def preview_cut(texts: list[str], break_after: int | None = None) -> PreviewCut:
    """The preview of a story whose text blocks are `texts`; `break_after`: how many text blocks
    stand before an editor's preview break, if there is one."""
    if break_after is not None:
        return PreviewCut(min(break_after, len(texts)))
    budget = settings.GACETA_PREVIEW_MAX_SHARE * sum(len(text.split()) for text in texts)
    used = whole = 0
    for text in texts:
        if whole >= settings.GACETA_PREVIEW_PARAGRAPHS:
            return PreviewCut(whole)
        size = len(text.split())
        if used + size > budget:
            break
        used += size
        whole += 1
    else:
        return PreviewCut(whole)
    sentences, parts = 0, split_sentences(texts[whole])
    for sentence in parts:
        if used + len(sentence.split()) > budget:
            break
        used += len(sentence.split())
        sentences += 1
    if whole == 0 and sentences == 0:
        sentences = 1
    if sentences >= len(parts):  # the paragraph's only sentence: shown whole
        return PreviewCut(whole + 1)
    return PreviewCut(whole, sentences)


def preview_texts(texts: list[str], cut: PreviewCut) -> list[str]:
    """The text blocks the preview shows, the last one cut to its sentences when the cut says so."""
    shown = texts[: cut.whole]
    if cut.sentences and cut.whole < len(texts):
        shown.append(" ".join(split_sentences(texts[cut.whole])[: cut.sentences]))
    return shown


def _text_blocks_before_break(body) -> int | None:
    count = 0
    for block in body:
        if block.block_type == BREAK_BLOCK:
            return count
        if block.block_type in TEXT_BLOCKS and block_text(block):
            count += 1
    return None


def cut_of(body) -> PreviewCut:
    return preview_cut(block_texts(body), _text_blocks_before_break(body))


def preview_blocks(body) -> list:
    """The blocks of `body` the preview shows, in order: photos and embeds only between shown
    text, a paragraph cut by sentences shown as plain text."""
    cut = cut_of(body)
    shown, pending, seen = [], [], 0
    for block in body:
        if block.block_type == BREAK_BLOCK:
            break
        if block.block_type not in TEXT_BLOCKS or not block_text(block):
            pending.append(block)
            continue
        if seen < cut.whole:
            shown.extend(pending)
            shown.append(block)
        elif seen == cut.whole and cut.sentences:
            shown.extend(pending)
            sentences = split_sentences(block_text(block))[: cut.sentences]
            shown.append(_cut_block(block, " ".join(sentences)))
        pending = []
        seen += 1
        if seen > cut.whole:
            break
    return shown


def split_at_preview(body) -> tuple[list, list]:
    """The body as a reader who may read it all sees it, in two parts: the blocks every reader
    sees whole, and the rest (the paywalled part that structured data points to)."""
    whole = cut_of(body).whole
    blocks, seen = list(body), 0
    for index, block in enumerate(blocks):
        is_text = block.block_type in TEXT_BLOCKS and block_text(block)
        if block.block_type == BREAK_BLOCK or (is_text and seen == whole):
            return blocks[:index], blocks[index:]
        seen += bool(is_text)
    return blocks, []


def _cut_block(block, text: str):
    if block.block_type == "quote":
        value = block.block.to_python({"text": text, "attribution": block.value.get("attribution", "")})
    else:
        value = RichText(f"<p>{escape(text)}</p>")
    return StreamValue.StreamChild(block.block, value, id=block.id)
