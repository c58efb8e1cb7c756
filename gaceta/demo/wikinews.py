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

from gaceta.core.text import split_sentences

from gaceta.core.text import summarise

from .text import PLACES, place_tags

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
# A topic box's name and end markers, from the start of its sentence: "Middle East infobox ",
# "G8_Summit_July_2005_Infobox ", "InfosectionEnd InfoboxEnd ".
_INFOBOX = re.compile(r"(?:^|(?<=[.!?] ))[^.!?]{0,150}?(?:[Ii]nfobox|InfosectionEnd)\w*(?:\s+\S*(?:Infobox|InfosectionEnd)\w*)*\s*")
# A link the conversion left in wiki syntax: "[http://example.org/page the text]" keeps its text.
_EXTERNAL_LINK = re.compile(r"\[https?://[^\s\]]*(?: ([^\]]*))?(?:\]|$)")
# Text that followed a wiki link got a space before it: "Israel 's", "Denver -based",
# "Australia n", "Iraq i", "Japan ese".
_SPLIT_AFTER_LINK = [
    (re.compile(r", 's\b"), ","),  # the name before it was lost: "leader of the House, 's comments"
    (re.compile(r"(?<=[\w.!]) (?=(?:'s|-based)\b)"), ""),
    (re.compile(r"\b([A-Z][a-z]*a) (ns?)\b"), r"\1\2"),
    (re.compile(r"\b([A-Z][a-z]*(?:q|el|an)) (is?)\b"), r"\1\2"),
    (re.compile(r"\b([A-Z][a-z]*[b-df-hj-np-tv-z]) (ians?|ese)\b"), r"\1\2"),
]
# Link text lost between commas: "the envoy to the,, and governments".
_EMPTY_LIST_ITEMS = re.compile(r",(?:\s*,)+")
# A paragraph that is only a layout template.
LAYOUT_PARAGRAPHS = {"Clear"}
# A place name before the first sentence is a topic box's label ("Brazil Hu Jintao, the
# President…") unless an office follows it ("United States President George W. Bush").
_PLACE_LABELS = sorted([place.split() for place in PLACES] + [["US"], ["UK"]], key=len, reverse=True)
OFFICE_WORDS = {
    "President", "Prime", "Vice", "Senator", "Chancellor", "Foreign", "Defence", "Defense",
    "Minister", "Secretary", "Secretary-General", "Leader", "Supreme", "Ambassador", "Army",
    "Navy", "Air", "Federal", "State", "Government", "Police", "National", "Attorney", "General",
    "Treasury", "Congressman", "Representative", "Governor", "Interior", "Finance", "Trade",
    "Information", "Chief", "Director", "Reserve", "Presidential", "House", "Home", "Senate",
    "Envoy", "Economic", "Rail", "Deputy", "Opposition", "Justice", "Health", "Education",
    "Labour", "Environment",
}


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

    def body_after_summary(self) -> list[str]:
        """The paragraphs without the sentence the summary already gives, so that a reader does
        not read it twice. A first sentence too long for a summary stays, as does a story that is
        only that sentence."""
        first, *rest = split_sentences(self.paragraphs[0]) or [""]
        if self.summary != first or (not rest and len(self.paragraphs) == 1):
            return self.paragraphs
        return ([" ".join(rest)] if rest else []) + self.paragraphs[1:]

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
    words = text.split(" ")
    while words and (words[0] in TEMPLATE_WORDS or _WIKI_TOKEN.match(words[0])):
        words.pop(0)
    topic = ""
    for label in _PLACE_LABELS:
        if len(words) > len(label) and words[: len(label)] == label and _follows_a_label(label, words[len(label)]):
            topic = " ".join(label)
            words = words[len(label) :]
            break
    for length in range(1, 6) if not topic else ():
        prefix = words[:length]
        if len(words) > length and words[length] in SENTENCE_STARTS and not any(
            word.endswith((".", ",", ":", ";")) for word in prefix
        ):
            topic = " ".join(prefix)
            words = words[length:]
            break
    return topic, " ".join(words)


def _follows_a_label(label: list[str], word: str) -> bool:
    """Whether `word` starts a sentence after the place `label` rather than continuing it: the
    place again ("Canada Canadian…"), or a capitalised word that is not an office."""
    if word[:4] == label[0][:4]:
        return True
    return word[:1].isupper() and word.rstrip(",.:;") not in OFFICE_WORDS


def clean_paragraph(text: str) -> str:
    """Link, template and spacing leftovers removed from anywhere in a paragraph."""
    text = _INFOBOX.sub("", text)
    text = _EXTERNAL_LINK.sub(lambda link: link[1] or "", text)
    for pattern, replacement in _SPLIT_AFTER_LINK:
        text = pattern.sub(replacement, text)
    return _EMPTY_LIST_ITEMS.sub(",", text)


def clean_body(body: str) -> tuple[str, list[str]]:
    body = _INLINE_TABLE.sub(" ", body)  # a table flattened into a paragraph: "{| … |- | Berlin | 200,000 |}"
    paragraphs = [clean_paragraph(p).strip() for p in body.split("\n\n")]
    paragraphs = [p for p in paragraphs if p and p not in LAYOUT_PARAGRAPHS and not _TABLE_LINE.match(p)]
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
