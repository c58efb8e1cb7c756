"""Ask under the dev server's threads: stemming stays right and a locked database never breaks a page."""

import json
import sys
import threading
from itertools import product

import pytest
from django.db import OperationalError

from gaceta.search import retrieval, text
from gaceta.answers.models import AskedQuestion
from tests.conftest import local, publish_article

ROOTS = ("connect", "nation", "relate", "generous", "happy", "organ", "formal", "hope", "sensit", "argu",
         "run", "elect", "govern", "report", "invest", "publish", "vote", "protest", "migrat", "product")
SUFFIXES = ("", "s", "ing", "ed", "ational", "ization", "fulness", "iveness", "ly", "ment", "ments", "ers",
            "ingly", "ousness", "alism", "icity", "ability", "ists", "ive", "ional")
WORDS = [root + suffix + tail for root, suffix, tail in product(ROOTS, SUFFIXES, ("", "al", "ness", "es"))]


def stem_in_threads(function, words, threads=8):
    """Each thread stems every word (in its own order); returns each thread's results."""
    results, errors = [dict() for _ in range(threads)], []
    start = threading.Barrier(threads)

    def work(index):
        start.wait()
        shift = index * len(words) // threads
        order = words[shift:] + words[:shift]
        try:
            for word in order * 3:
                results[index][word] = function(word)
        except Exception as error:  # noqa: BLE001: an IndexError here is what the test looks for
            errors.append(error)

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, as a busy server does
    try:
        workers = [threading.Thread(target=work, args=(index,)) for index in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        sys.setswitchinterval(switch)
    return results, errors


def test_stemming_from_many_threads_gives_the_single_thread_stems():
    text.stem.cache_clear()
    expected = {word: text.stem(word) for word in WORDS}
    text.stem.cache_clear()
    results, errors = stem_in_threads(text.stem, WORDS)
    assert errors == []
    assert all(result == expected for result in results)
    text.stem.cache_clear()


@pytest.mark.slow
def test_index_vocabulary_stems_from_many_threads_match_too():
    expected = {word: retrieval.index_stem(word) for word in WORDS}
    results, errors = stem_in_threads(retrieval.index_stem, WORDS)
    assert errors == [] and all(result == expected for result in results)


@pytest.fixture
def volcano(sections):
    return publish_article(sections["politics"], "Volcano erupts near Mexico City", published_at=local(2023, 4, 6),
                           paragraphs=["The Popocatépetl volcano near Mexico City erupted on Tuesday, covering nearby towns in ash."])


def lock_database(monkeypatch, times=None):
    """Every write of an asked question (or the first `times`) fails as SQLite's does under another writer."""
    real_save, calls = AskedQuestion.save, []

    def save(self, *args, **kwargs):
        calls.append(1)
        if times is None or len(calls) <= times:
            raise OperationalError("database is locked")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(AskedQuestion, "save", save)
    return calls


QUESTION = "Where did the Popocatépetl volcano erupt?"


def test_a_briefly_locked_database_is_tried_again_and_the_question_recorded(client, volcano, monkeypatch):
    calls = lock_database(monkeypatch, times=1)
    response = client.get("/ask/", {"q": QUESTION})
    assert response.status_code == 200 and "Popocatépetl" in response.text
    assert len(calls) == 2 and AskedQuestion.objects.get().question == QUESTION


def test_a_database_that_stays_locked_still_serves_the_answer(client, volcano, monkeypatch, caplog):
    lock_database(monkeypatch)
    page = client.get("/ask/", {"q": QUESTION})
    assert page.status_code == 200 and "erupted on Tuesday" in page.text and 'name="token"' not in page.text
    api = client.post("/api/ask", json.dumps({"question": QUESTION}), content_type="application/json")
    assert api.status_code == 200 and api.json()["answered"] and api.json()["vote_token"] is None
    stream = client.get("/ask/stream", {"q": QUESTION})
    events = [chunk.decode() for chunk in stream.streaming_content]
    assert events[-1].startswith("event: done") and json.loads(events[-1].split("data: ", 1)[1])["vote_token"] is None
    assert not AskedQuestion.objects.exists()
    assert "not recorded" in caplog.text
