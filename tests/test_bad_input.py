"""Bad input gets a 4xx that names the problem, never a 500, under development and production
settings alike.

One table of requests, each with the status it must get and words its answer must contain; then
hypothesis sends many more of the same families (cursors, ids, comment parents, Ask bodies) and
checks that none breaks a page.
"""

import json
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gaceta.comments.models import Comment, CommentSettings
from gaceta.payments.models import WebhookEvent
from tests.conftest import local, make_member, publish_article
from tests.payments.conftest import fake_stripe  # noqa: F401 - the fixture
from tests.payments.fake_stripe import sign

pytestmark = pytest.mark.django_db
FUZZ = hypothesis_settings(
    max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)  # what a URL can carry


@pytest.fixture(params=["dev", "production"])
def mode(request, settings):
    """Development shows Django's debug pages; production hides them behind its own error pages
    and sends everything over HTTPS (the settings of gaceta.settings.production that change how a
    request is answered)."""
    if request.param == "dev":
        settings.DEBUG = True
    else:
        settings.DEBUG = False
        settings.SECURE_SSL_REDIRECT = True
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.GACETA_ASK_RATES = {"anonymous": "10000/h", "free": "10000/h", "paid": "10000/h"}
    return request.param


@pytest.fixture
def newsroom(sections, author):
    rules = CommentSettings.load()
    rules.premoderate_first, rules.posts_per_hour = 0, 10_000
    rules.save()
    article = publish_article(sections["politics"], "Budget vote", tags=["budget"], authors=[author])
    publish_article(sections["politics"], "Older story", tags=["budget"], authors=[author], published_at=local(2026, 3, 1))
    member = make_member("paid@example.org", paid=True, display_name="Paid reader")
    comment = Comment.objects.create(article=article, member=member, body="First!", status=Comment.Status.PUBLISHED)
    return {"article": article, "member": member, "comment": comment, "author": author}


@dataclass
class Case:
    name: str
    method: str
    path: str
    status: int
    says: str  # words the answer must contain (any case)
    body: bytes | dict | None = None
    content_type: str = "application/json"
    json: bool = False  # the answer is JSON with an "error"
    signed_in: bool = False
    headers: dict = field(default_factory=dict)


def ask(body: bytes, **extra) -> dict:
    return {"method": "post", "path": "/api/ask", "body": body, "json": True, **extra}


CASES = [
    # Keyset cursors of the archives: out of range or malformed.
    *[Case(f"{where} cursor {cursor}", "get", f"{path}?before={cursor}", 400, "before")
      for where, path in [("section", "/politics/"), ("tag", "/tags/budget/"), ("author", "/authors/ana-reportera/")]
      for cursor in ["99999999999999999999-1", "1-99999999999999999999", "abc", "1700000000000000", "-1-1",
                     "1700000000000000-", "1%2E5-1", "1e3-1"]],
    # Ids in URLs past what the database holds.
    Case("comments json id out of range", "get", "/comments/article/10000000000000000000000.json", 404, "not found", json=True),
    Case("comments json id just past bigint", "get", "/comments/article/9223372036854775808.json", 404, "not found", json=True),
    Case("comment post id out of range", "post", "/comments/article/10000000000000000000000/", 404, "not found",
         body={"body": "Hi"}, content_type="", json=True, headers={"HTTP_ACCEPT": "application/json"}),
    Case("like id out of range", "post", "/comments/99999999999999999999999/like/", 404, "not found", body={},
         content_type="", json=True, headers={"HTTP_ACCEPT": "application/json"}),
    # Comment parents that are not comment ids; signed in, so the permission check passes.
    *[Case(f"comment parent {parent!r}", "post", "ARTICLE_POST", 400, "reply", body={"body": "A reply", "parent": parent},
           content_type="", json=True, signed_in=True, headers={"HTTP_ACCEPT": "application/json"})
      for parent in ["abc", "1.5", "1e3", "-1", "0", "99999999999999999999999", "１", "1 OR 1=1", "999999"]],
    # Permission first: a reader who may not comment learns nothing about the parent.
    *[Case(f"comment parent {parent!r} signed out", "post", "ARTICLE_POST", 403, "may not comment",
           body={"body": "A reply", "parent": parent}, content_type="", json=True, headers={"HTTP_ACCEPT": "application/json"})
      for parent in ["abc", "1e3", "COMMENT_ID", "999999"]],
    # The Ask API.
    Case("ask GET", "get", "/api/ask", 405, "POST", json=True),
    Case("ask PUT", "put", "/api/ask", 405, "POST", body=b"{}", json=True),
    Case("ask too large", **ask(json.dumps({"question": "x" * 40_000}).encode()), status=413, says="too large"),
    Case("ask deeply nested", **ask(b'{"question": ' + b"[" * 3000 + b"]" * 3000 + b"}"), status=400, says="nested"),
    Case("ask nested objects", **ask(b'{"q":' * 1200 + b"1" + b"}" * 1200), status=400, says="nested"),
    Case("ask lone surrogate", **ask(b'{"question": "\\ud800 apple"}'), status=400, says="unicode"),
    Case("ask lone low surrogate", **ask(b'{"question": "apple \\udfff"}'), status=400, says="unicode"),
    Case("ask latin-1 body", **ask('{"question": "café"}'.encode("latin-1")), status=400, says="utf-8"),
    Case("ask invalid bytes", **ask(b'{"question": "\xff\xfe\xfa"}'), status=400, says="utf-8"),
    Case("ask BOM", **ask(b'\xef\xbb\xbf{"question": "volcano"}'), status=400, says="json"),
    Case("ask huge number", **ask(b'{"question": ' + b"1" * 5000 + b"}"), status=400, says="json"),
    Case("ask not an object", **ask(b'["question"]'), status=400, says="question"),
    Case("ask question not text", **ask(b'{"question": {"a": 1}}'), status=400, says="question"),
    Case("ask empty", **ask(b""), status=415, says="json"),  # no body: no Content-Type either
    Case("ask truncated", **ask(b'{"question": "volc'), status=400, says="json"),
    Case("ask text/plain", **ask(b'{"question": "volcano"}', content_type="text/plain"), status=415, says="json"),
    Case("ask too long question", **ask(json.dumps({"question": "x" * 301}).encode()), status=400, says="at most"),
    Case("ask page too long question", "get", "/ask/?q=" + "why " * 76, 400, "at most 300 characters"),
    Case("ask stream too long question", "get", "/ask/stream?q=" + "why " * 76, 400, "at most 300 characters"),
    # Returning from Stripe Checkout with a session id nobody issued.
    Case("checkout forged session", "get", "/subscribe/thanks/?session_id=cs_test_forged", 400, "checkout", signed_in=True),
    Case("checkout malformed session", "get", "/subscribe/thanks/?session_id=cs_%3Cscript%3E", 400, "checkout", signed_in=True),
    # Signed Stripe events about objects Stripe does not know, or without data.
    Case("webhook unknown subscription", "post", "WEBHOOK", 400, "sub_unknown",
         body={"type": "customer.subscription.updated", "data": {"object": {"id": "sub_unknown", "object": "subscription"}}}),
    Case("webhook unknown checkout", "post", "WEBHOOK", 400, "cs_unknown",
         body={"type": "checkout.session.completed", "data": {"object": {"id": "cs_unknown", "object": "checkout.session"}}}),
    Case("webhook without data", "post", "WEBHOOK", 400, "data", body={"type": "customer.subscription.updated"}),
    Case("webhook data without object", "post", "WEBHOOK", 400, "data", body={"type": "customer.subscription.updated", "data": {}}),
    Case("webhook object without id", "post", "WEBHOOK", 400, "data",
         body={"type": "customer.subscription.updated", "data": {"object": {"object": "subscription"}}}),
    Case("webhook without type", "post", "WEBHOOK", 400, "type", body={"data": {"object": {"id": "sub_1"}}}),
    # Sitemap pages that do not exist.
    Case("sitemap page out of range", "get", "/sitemap-articles.xml?p=99999999999999999999", 404, "not found"),
    Case("sitemap page not a number", "get", "/sitemap-articles.xml?p=1e3", 404, "not found"),
]


def webhook_payload(fake, event: dict) -> bytes:
    return json.dumps({"id": f"evt_bad_{abs(hash(json.dumps(event))) % 10**8}", "object": "event", **event}).encode()


def send(client, case: Case, mode: str, newsroom, fake_stripe):
    path, body = case.path, case.body
    headers = dict(case.headers)
    if mode == "production":
        headers["secure"] = True
    if path == "ARTICLE_POST":
        path = f"/comments/article/{newsroom['article'].pk}/"
        if body.get("parent") == "COMMENT_ID":
            body = {**body, "parent": str(newsroom["comment"].pk)}
    if path == "WEBHOOK":
        path = "/payments/stripe/webhook/"
        body = webhook_payload(fake_stripe, body)
        headers["HTTP_STRIPE_SIGNATURE"] = sign(body, fake_stripe.webhook_secret)
    if case.signed_in:
        client.force_login(newsroom["member"])
    if case.method == "get":
        return client.get(path, **headers)
    kwargs = {"content_type": case.content_type} if case.content_type else {}
    return getattr(client, case.method)(path, body if body is not None else b"", **kwargs, **headers)


def error_text(response, expect_json: bool) -> str:
    if expect_json:
        assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
        return response.json()["error"]
    return response.content.decode("utf-8", "replace")


def problem_with(response, case: Case, mode: str) -> str | None:
    """What is wrong with the answer to `case`, or None."""
    if response.status_code != case.status:
        return f"status {response.status_code}, not {case.status}: {response.content[:300]!r}"
    # Django's debug pages (development) are HTML; production answers JSON where JSON was asked.
    expect_json = case.json and (mode == "production" or case.path == "/api/ask")
    if expect_json and not response["Content-Type"].startswith("application/json"):
        return f"{response['Content-Type']}, not JSON"
    text = response.json()["error"] if expect_json else response.content.decode("utf-8", "replace")
    if case.says.lower() not in text.lower():
        return f"does not say {case.says!r}: {text[:300]!r}"
    return None


@pytest.mark.slow
def test_bad_input_gets_a_clear_4xx_and_writes_nothing(client, mode, newsroom, fake_stripe):
    """Every case of the table, in one test so that the newsroom is built once per mode."""
    client.raise_request_exception = False  # a 500 is one more problem in the list
    problems = {}
    for case in CASES:
        problem = problem_with(send(client, case, mode, newsroom, fake_stripe), case, mode)
        if problem:
            problems[case.name] = problem
        client.logout()
    assert problems == {}
    assert Comment.objects.count() == 1
    assert not WebhookEvent.objects.exists()


# --- The same families, fuzzed ------------------------------------------------------------------

@pytest.mark.slow
@FUZZ
@given(cursor=st.one_of(TEXT, st.tuples(st.integers(0, 10**22), st.integers(0, 10**22)).map(lambda p: f"{p[0]}-{p[1]}")))
def test_any_cursor_gives_a_page_or_a_400(client, mode, newsroom, cursor):
    for path in ("/politics/", "/tags/budget/", "/authors/ana-reportera/"):
        response = client.get(path, {"before": cursor}, secure=mode == "production")
        assert response.status_code in (200, 400), (path, cursor)


@pytest.mark.slow
@FUZZ
@given(number=st.integers(min_value=0, max_value=10**30))
def test_any_id_gives_an_answer_or_a_404(client, mode, newsroom, number):
    response = client.get(f"/comments/article/{number}.json", secure=mode == "production")
    assert response.status_code in (200, 404)


@pytest.mark.slow
@FUZZ
@given(parent=TEXT)
def test_any_parent_gives_a_comment_or_a_400(client, mode, newsroom, parent):
    client.force_login(newsroom["member"])
    response = client.post(f"/comments/article/{newsroom['article'].pk}/", {"body": "Reply", "parent": parent},
                           HTTP_ACCEPT="application/json", secure=mode == "production")
    assert response.status_code in (201, 400), parent
    client.logout()
    anonymous = client.post(f"/comments/article/{newsroom['article'].pk}/", {"body": "Reply", "parent": parent},
                            HTTP_ACCEPT="application/json", secure=mode == "production")
    assert anonymous.status_code == 403


@pytest.mark.slow
@FUZZ
@given(query=TEXT)
def test_any_search_or_question_in_a_url_gives_a_page(client, mode, newsroom, query):
    for path in ("/search/", "/ask/"):
        response = client.get(path, {"q": query}, secure=mode == "production")
        assert response.status_code == 200, (path, query)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@pytest.mark.slow
@FUZZ
@given(body=st.one_of(
    st.binary(max_size=200),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    st.dictionaries(st.just("question"), JSON_VALUES, min_size=1).map(lambda value: json.dumps(value).encode()),
    st.text(max_size=30).map(lambda text: json.dumps({"question": text}).encode()),
    st.integers(1, 5000).map(lambda depth: b'{"question": ' + b"[" * depth + b"]" * depth + b"}"),
))
def test_any_ask_body_gives_an_answer_or_a_json_4xx(client, mode, newsroom, body):
    response = client.post("/api/ask", body, content_type="application/json", secure=mode == "production")
    assert response.status_code in (200, 400, 413, 415), body[:100]  # 415: an empty body has no type
    assert response["Content-Type"].startswith("application/json")
    if response.status_code != 200:
        assert response.json()["error"]
