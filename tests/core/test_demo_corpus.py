"""The whole Wikinews archive as the demo loader cleans it: no conversion leftovers remain."""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from gaceta.demo.text import PLACES
from gaceta.demo.wikinews import SENTENCE_STARTS, read_corpus

PLACE_OPENING = re.compile(rf"^({'|'.join(re.escape(place) for place in PLACES)}) (\S+)")
LEFTOVERS = {
    "wiki link markup": re.compile(r"\[https?://"),
    "space before 's": re.compile(r" 's\b"),
    "space before -based": re.compile(r" -based\b"),
    "double comma": re.compile(r",\s*,"),
    "infobox": re.compile(r"infobox", re.IGNORECASE),
    "trailing Clear": re.compile(r"\bClear$"),
}


def count_leftovers(stories) -> Counter:
    found: Counter = Counter()
    for story in stories:
        body = story.body_after_summary()
        whole_summary = not story.summary.endswith("…") and len(story.paragraphs) + story.paragraphs[0].count(". ") > 1
        if whole_summary and body[0].startswith(story.summary):
            found["summary repeated in the body"] += 1
        opening = PLACE_OPENING.match(body[0])
        if opening and (opening[2][:4] == opening[1][:4] or opening[2] in SENTENCE_STARTS):
            found["place label before the first sentence"] += 1
        for paragraph in [story.summary, *body]:
            found.update(kind for kind, pattern in LEFTOVERS.items() if pattern.search(paragraph))
    return found


@pytest.mark.slow
def test_no_conversion_leftovers_in_the_whole_archive():
    data = Path(settings.GACETA_DEMO_DATA)
    if not (data / "corpus" / "corpus.jsonl").exists():
        pytest.fail(f"The shared data folder is missing at {data}; set GACETA_DEMO_DATA.")
    stories = list(read_corpus(data))
    assert len(stories) > 5000
    assert count_leftovers(stories) == Counter()
