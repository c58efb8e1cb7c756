"""Reading the captured Mexico News Daily page (shared/seeds/) into articles.

The page is plain text: the day's date, the headline, paragraphs separated by blank lines, a photo
as two lines (its alt text, then "Caption. (Credit)"), a "With reports from …" line, the comment
call to action, then the "more stories" teasers as four lines each (alt text, title, comment count,
summary).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

SEED_FILE = "seeds/000_310ed6a4d7bb92a7.txt"
CAPTION_WITH_CREDIT = re.compile(r"^(?P<caption>.*?)\s*\((?P<credit>[^()]+)\)\s*$")
SOURCES_PREFIX = "With reports from "
COMMENTS_CALL = "Have something to say?"
END_MARKER = "BETA Version"


@dataclass
class SeedImage:
    alt: str
    caption: str = ""
    credit: str = ""


@dataclass
class SeedArticle:
    title: str
    summary: str
    paragraphs: list[str]
    image: SeedImage
    sources: list[str] = field(default_factory=list)


@dataclass
class SeedPage:
    day: date
    article: SeedArticle
    teasers: list[SeedArticle]


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def split_names(text: str) -> list[str]:
    """"Infobae and El Economista" → ["Infobae", "El Economista"]."""
    return [name.strip() for name in re.split(r",\s*|\s+and\s+", text.strip().rstrip(".")) if name.strip()]


def parse_seed_page(text: str) -> SeedPage:
    lines = text.splitlines()
    day = datetime.strptime(lines[0].strip(), "%A, %B %d, %Y").date()
    call = next(i for i, line in enumerate(lines) if line.startswith(COMMENTS_CALL))
    blocks = _blocks(lines[1:call])
    title, paragraphs, image, sources = blocks[0][0], [], None, []
    for block in blocks[1:]:
        caption = CAPTION_WITH_CREDIT.match(block[-1]) if len(block) == 2 else None
        if caption and image is None:
            image = SeedImage(alt=block[0], **caption.groupdict())
        elif block[0].startswith(SOURCES_PREFIX):
            sources = split_names(block[0][len(SOURCES_PREFIX) :])
        else:
            paragraphs.append(" ".join(block))
    article = SeedArticle(
        title=title, summary=paragraphs[0], paragraphs=paragraphs, image=image, sources=sources
    )
    teaser_lines = []
    for line in lines[call + 1 :]:
        if line.startswith(END_MARKER):
            break
        if line.strip():
            teaser_lines.append(line.strip())
    teasers = []
    for alt, teaser_title, count, summary in zip(*[iter(teaser_lines)] * 4):
        if not count.isdigit():
            raise ValueError(f"Unexpected teaser layout near {teaser_title!r}")
        teasers.append(
            SeedArticle(teaser_title, summary, [summary], SeedImage(alt=alt))
        )
    return SeedPage(day=day, article=article, teasers=teasers)


def read_seed_page(data_dir: Path) -> SeedPage | None:
    path = data_dir / SEED_FILE
    return parse_seed_page(path.read_text(encoding="utf-8")) if path.exists() else None
