"""Rate limits: one source for the reader's address (allauth's), and every limit answers 429
with Retry-After."""

import json

import pytest
from allauth.account.adapter import get_adapter
from django.test import Client, RequestFactory

from gaceta.core.ratelimit import client_ip
from tests.conftest import make_member, publish_article

pytestmark = pytest.mark.django_db


def ask(client, **headers):
    return client.post("/api/ask", json.dumps({"question": "Volcano?"}), content_type="application/json", **headers)


@pytest.mark.parametrize("proxies, headers", [
    (0, {"REMOTE_ADDR": "203.0.113.9"}),
    (0, {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}),
    (1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}),
    (1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.1"}),
    (2, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.2, 10.0.0.2"}),
])
def test_the_reader_address_is_the_one_allauth_reads(settings, proxies, headers):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", **headers)
    assert client_ip(request) == get_adapter(request).get_client_ip(request)


def test_behind_a_proxy_each_reader_has_their_own_allowance(settings, front_page):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.GACETA_ASK_RATES = {"anonymous": "1/h", "free": "1/h", "paid": "1/h"}
    client = Client(REMOTE_ADDR="10.0.0.1")  # every request arrives from the proxy
    assert ask(client, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert ask(client, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200
    # A reader cannot escape their limit by sending their own X-Forwarded-For in front.
    assert ask(client, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1").status_code == 429


@pytest.fixture
def limited_commenter(sections):
    from gaceta.comments.models import CommentSettings

    rules = CommentSettings.load()
    rules.premoderate_first, rules.posts_per_hour = 0, 1
    rules.save()
    member = make_member("writer@example.org", paid=True, display_name="Writer")
    return member, publish_article(sections["politics"], "Commented story")


def test_comment_limit_answers_429_with_retry_after(client, limited_commenter):
    member, article = limited_commenter
    client.force_login(member)
    url = f"/comments/article/{article.pk}/"
    assert client.post(url, {"body": "First."}, HTTP_ACCEPT="application/json").status_code == 201
    refused = client.post(url, {"body": "Second."}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
    assert "wait" in refused.json()["error"]


def test_comment_form_without_javascript_over_the_limit_keeps_the_typed_text(client, limited_commenter):
    member, article = limited_commenter
    client.force_login(member)
    url = f"/comments/article/{article.pk}/"
    client.post(url, {"body": "First."})
    refused = client.post(url, {"body": "My long, carefully typed second comment."})
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
    assert "My long, carefully typed second comment." in refused.text
    assert "wait" in refused.text


def test_account_limits_answer_429_with_retry_after(front_page):
    client = Client()
    responses = [client.post("/accounts/signup/", {"email": f"r{n}@example.org"}) for n in range(21)]
    refused = responses[-1]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
