"""The JSON API (gaceta/api): POST /api/ask, as a program outside the site calls it."""

import json

import pytest

from gaceta.api.views import BODY_MAX_BYTES
from tests.conftest import local, make_member, publish_article

pytestmark = pytest.mark.django_db

VOLCANO = [
    "The Popocatépetl volcano near Mexico City erupted on Tuesday, covering nearby towns in ash.",
    "Authorities closed the airport in Puebla for six hours as a precaution.",
]
PAID_FACT = "The mayor of Tlaxcala resigned after auditors found 4,200 missing tractors."
PAID_QUESTION = "How many tractors were missing when the mayor of Tlaxcala resigned?"


@pytest.fixture
def archive(sections):
    return {
        "volcano": publish_article(sections["politics"], "Volcano erupts near Mexico City", paragraphs=VOLCANO,
                                   published_at=local(2023, 4, 6)),
        "paid": publish_article(sections["business"], "Tlaxcala mayor resigns", visibility="paid",
                                paragraphs=["A council meeting was called on Monday.", "Officials met twice.",
                                            "Reporters waited outside.", PAID_FACT],
                                published_at=local(2024, 2, 1)),
    }


def post(client, body, content_type="application/json", **headers):
    if not isinstance(body, (str, bytes)):
        body = json.dumps(body)
    return client.post("/api/ask", body, content_type=content_type, **headers)


def test_an_answer_comes_back_as_json_with_its_sources(client, archive):
    response = post(client, {"question": "Which airport closed when the volcano erupted?"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"
    data = response.json()
    assert set(data) == {"question", "answered", "answer", "sentences", "citations", "related", "followups", "vote_token"}
    assert data["answered"] is True and "Puebla" in data["answer"]
    assert data["citations"][0]["url"] == f"http://testserver{archive['volcano'].url}"
    assert data["citations"][0]["published"] == "2023-04-06"
    assert all(sentence["citations"] for sentence in data["sentences"])


@pytest.mark.parametrize("body, message", [
    (b"not json", "not valid JSON"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b"[" * 100_000, "too large"),  # over the size limit before it is parsed
    ("[" * 4000 + "]" * 4000, "nested too deeply"),
    ({}, "non-empty question"),
    ({"question": "   "}, "non-empty question"),
    ({"question": 5}, "non-empty question"),
    (["question"], "non-empty question"),
    ('{"question": "Volcano \\ud800?"}', "lone surrogate"),
    ({"question": "x" * 301}, "at most 300 characters"),
])
def test_bad_requests_are_refused_with_a_reason(client, db, body, message):
    response = post(client, body)
    assert response.status_code == (413 if message == "too large" else 400)
    assert message in response.json()["error"]
    assert response["Cache-Control"] == "private, no-store"


def test_a_request_just_under_the_size_limit_is_read(client, archive):
    question = "Volcano?"
    body = json.dumps({"question": question, "padding": " " * (BODY_MAX_BYTES - 40)})
    assert len(body.encode()) <= BODY_MAX_BYTES
    assert post(client, body).status_code == 200


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"])
def test_anything_but_json_is_refused_as_unsupported(client, db, content_type):
    response = post(client, '{"question": "Volcano?"}', content_type=content_type)
    assert response.status_code == 415 and "application/json" in response.json()["error"]


def test_other_methods_are_refused_with_allow(client, db):
    response = client.get("/api/ask", {"question": "Volcano?"})
    assert response.status_code == 405 and response["Allow"] == "POST"


def test_too_many_questions_get_429_with_retry_after(client, archive, settings):
    settings.GACETA_ASK_RATES = {"anonymous": "2/h", "free": "5/h", "paid": "10/h"}
    assert [post(client, {"question": "Volcano?"}).status_code for _ in range(2)] == [200, 200]
    limited = post(client, {"question": "Volcano?"})
    assert limited.status_code == 429
    wait = int(limited["Retry-After"])
    assert 0 < wait <= 3600 and limited.json()["retry_after"] == wait
    # Refused requests do not count: a malformed body is answered before the limit is consumed.
    assert post(client, b"not json", REMOTE_ADDR="198.51.100.7").status_code == 400
    assert [post(client, {"question": "Volcano?"}, REMOTE_ADDR="198.51.100.7").status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.parametrize("reader, sees_paid_text", [(None, False), ("free", False), ("paid", True)])
def test_paid_text_only_for_readers_who_may_read_it(client, archive, reader, sees_paid_text):
    if reader:
        client.force_login(make_member(f"{reader}@example.org", paid=reader == "paid"))
    response = post(client, {"question": PAID_QUESTION})
    assert response.status_code == 200
    data = response.json()
    assert ("4,200" in response.content.decode()) is sees_paid_text
    assert data["answered"] is sees_paid_text
    if not sees_paid_text:
        # The story is named, locked, without its words.
        assert [story["locked"] for story in data["related"] if story["title"] == "Tlaxcala mayor resigns"] == [True]
        assert "auditors" not in response.content.decode()
