"""The team's training questions for Ask (answers/training/ask_team.jsonl) hold to the rules of
the shared question sets (corpus/ASK_TRAIN.md), and keep clear of their articles."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from gaceta.answers.management.commands.train_reader import TEAM_QUESTIONS
from gaceta.answers.management.commands.train_reader import answer_key as key

FIELDS = ["id", "question", "answer", "aliases", "article_ids", "kind", "latin_america", "source_date", "split"]
KINDS = {"who", "what", "where", "when", "how_many", "why"}
CORPUS = Path(settings.GACETA_DEMO_DATA) / "corpus"


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def articles():
    with (CORPUS / "corpus.jsonl").open() as handle:
        return {row["id"]: (row, key(row["title"] + " " + row["body"])) for row in map(json.loads, handle)}


def test_every_question_is_well_formed_and_its_answer_is_in_its_articles(articles):
    questions = lines(TEAM_QUESTIONS)
    assert len(questions) >= 100
    assert len({q["id"] for q in questions}) == len(questions)
    shared = {article for name in ("ask_train.jsonl", "ask_dev.jsonl") for q in lines(CORPUS / name) for article in q["article_ids"]}
    sources = set()
    for q in questions:
        assert list(q) == FIELDS and q["split"] == "team", q["id"]
        if q["kind"] == "unanswerable":
            assert (q["answer"], q["aliases"], q["article_ids"], q["source_date"]) == (None, [], [], None), q["id"]
            continue
        assert q["kind"] in KINDS and 1 <= len(q["answer"].split()) <= 6, q["id"]
        assert key(q["answer"]) not in key(q["question"]), q["id"]
        source = q["article_ids"][0]
        # An odd id (the even ones are another set's), an article no shared question uses, once.
        assert int(source.split("-")[1]) % 2 == 1 and source not in shared and source not in sources, q["id"]
        sources.add(source)
        assert articles[source][0]["date"] == q["source_date"], q["id"]
        assert key(q["answer"]) in articles[source][1], q["id"]
        for article in q["article_ids"]:
            assert any(key(gold) in articles[article][1] for gold in [q["answer"], *q["aliases"]]), (q["id"], article)
