"""Reading the Wikinews archive (shared/corpus/corpus.jsonl) and cleaning its text.

The text was converted out of wiki markup and carries leftovers: template names and topic boxes
stuck to the first words ("2008 US Presidential Election Barack Obama…", "__NOTOC__ The…"),
image captions cut mid-way (", a Cadillac limousine…]] The US…") and table rows. What can be
recognised is removed; the rest is left as it is rather than guessed at.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .text import place_tags, summarise

CORPUS_FILE = "corpus/corpus.jsonl"
LICENCE_URL = "https://creativecommons.org/licenses/by/2.5/"
SITE_NOTICE = (
    "Archive articles from English Wikinews (https://en.wikinews.org), © Wikinews contributors, "
    "CC BY 2.5 (https://creativecommons.org/licenses/by/2.5/); text taken from the toscaData R "
    "package (Koppers, Rieger, Boczek, von Nordheim; CC BY 4.0) and cleaned (changes made: "
    "converted from wiki markup, some link text is lost)."
)
TEMPLATE_WORDS = {"__NOTOC__", "publish", "Archive-unreviewed", "right", "left", "thumb"}
# Words that begin a sentence; a short run of words before one of them is a stray topic label.
SENTENCE_STARTS = {
    "The", "A", "An", "In", "On", "At", "After", "According", "Following", "During", "Today",
    "Today,", "Two", "Three", "Several", "Former", "With", "As", "It", "Police", "Officials",
}
_WIKI_TOKEN = re.compile(r"^[A-Za-z]+\d{4}[\w-]*$|^[A-Z][a-z]+[A-Z]\w*$")
_TABLE_LINE = re.compile(r"^\s*(\{\||\|-|\|\}|\||!)")
_INLINE_TABLE = re.compile(r"\{\|.*?\|\}", re.DOTALL)
_INFOBOX = re.compile(r"^[\w ]{0,40}?\binfobox\s+")


@dataclass
class WikinewsArticle:
    ref: str
    title: str
    published: date
    url: str
    section: str
    paragraphs: list[str]
    topic: str
    tags: list[str]

    @property
    def summary(self) -> str:
        return summarise(self.paragraphs[0])

    @property
    def rights_notice(self) -> str:
        return (
            f"“{self.title}”, Wikinews, {self.url}, published {self.published:%B %-d, %Y}, "
            f"licensed CC BY 2.5 ({LICENCE_URL}). Changes made: converted from wiki markup and "
            "cleaned; some link text is lost."
        )


def clean_opening(text: str) -> tuple[str, str]:
    """Strip markup leftovers from the start of a body; return (topic label, cleaned text)."""
    text = text.lstrip()
    if text.startswith(","):
        text = text.split("]] ", 1)[-1] if "]] " in text[:400] else text.lstrip(", ")
    text = _INFOBOX.sub("", text, count=1)
    words = text.split(" ")
    while words and (words[0] in TEMPLATE_WORDS or _WIKI_TOKEN.match(words[0])):
        words.pop(0)
    topic = ""
    for length in range(1, 6):
        prefix = words[:length]
        if len(words) > length and words[length] in SENTENCE_STARTS and not any(
            word.endswith((".", ",", ":", ";")) for word in prefix
        ):
            topic = " ".join(prefix)
            words = words[length:]
            break
    return topic, " ".join(words)


def clean_body(body: str) -> tuple[str, list[str]]:
    body = _INLINE_TABLE.sub(" ", body)  # a table flattened into a paragraph: "{| … |- | Berlin | 200,000 |}"
    paragraphs = [p.strip() for p in body.split("\n\n")]
    paragraphs = [p for p in paragraphs if p and not _TABLE_LINE.match(p)]
    if not paragraphs:
        return "", []
    topic, paragraphs[0] = clean_opening(paragraphs[0])
    paragraphs = [" ".join(p.split()) for p in paragraphs if p.strip()]
    # A lone word or two ("U.S.") is a sentence the conversion broke in two: join it to the next.
    joined: list[str] = []
    for paragraph in reversed(paragraphs):
        if joined and len(paragraph.split()) <= 2:
            joined[-1] = f"{paragraph} {joined[-1]}"
        else:
            joined.append(paragraph)
    return topic, joined[::-1]


def read_corpus(data_dir: Path) -> Iterator[WikinewsArticle]:
    path = data_dir / CORPUS_FILE
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            topic, paragraphs = clean_body(record["body"])
            if not paragraphs:
                continue
            topic_tags = (place_tags(topic) or [topic]) if topic and len(topic) <= 60 else []
            tags = list(dict.fromkeys(topic_tags + place_tags(record["title"], paragraphs[0])))
            yield WikinewsArticle(
                ref=record["id"],
                title=record["title"].strip(),
                published=date.fromisoformat(record["date"]),
                url=record["url"],
                section=record["section"][0],
                paragraphs=paragraphs,
                topic=topic,
                tags=tags,
            )
