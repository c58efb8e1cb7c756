import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from gaceta.comments import services
from gaceta.comments.models import Comment
from gaceta.comments.rendering import text_to_html as comment_text
from tests.conftest import make_member

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
    "javascript:alert(1)", "<a href=\"javascript:alert(1)\">x</a>", "<iframe src=//evil>", "</p><b>bold</b>",
    "http://example.com/\"onmouseover=\"alert(1)", "www.example.com<script>", "&lt;script&gt;",
]
TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)")


def assert_no_markup_survives(html: str):
    for tag in TAG.findall(html):
        assert tag.lower() in {"p", "br", "a"}, html
    for attributes in re.findall(r"<a ([^>]*)>", html):
        # Only web links, with no room for another attribute (an event handler, a javascript: URL).
        assert re.fullmatch(r'rel="nofollow ugc noopener" href="https?://[^"<>\s]*"', attributes), html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_known_payloads_come_out_as_text(payload):
    assert_no_markup_survives(str(comment_text(payload)))


@pytest.mark.slow
@hypothesis_settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=40), st.sampled_from(["<", ">", "\"", "'", "&", "http://", "www.", " ", "\n"])), max_size=12))
def test_no_generated_input_survives_as_markup(parts):
    assert_no_markup_survives(str(comment_text("".join(parts))))


def test_links_become_user_content_links(client, article, paid_commenter, rules):
    services.post_comment(member=paid_commenter, article=article, body="See https://example.org/report?a=1&b=2 <b>now</b>")
    client.force_login(paid_commenter)
    html = client.get(article.url).text
    assert '<a rel="nofollow ugc noopener" href="https://example.org/report?a=1&amp;b=2">https://example.org/report?a=1&amp;b=2</a>' in html
    assert "&lt;b&gt;now&lt;/b&gt;" in html


def test_every_form_needs_the_csrf_token(article, paid_commenter, rules):
    client = Client(enforce_csrf_checks=True)
    client.force_login(paid_commenter)
    assert client.post(f"/comments/article/{article.pk}/", {"body": "no token"}).status_code == 403
    comment = Comment.objects.create(article=article, member=make_member("o@example.org", paid=True), body="x", status="published")
    for action in ("like", "report", "edit", "delete"):
        assert client.post(f"/comments/{comment.pk}/{action}/", {"reason": "r", "body": "b"}).status_code == 403
    assert not Comment.objects.filter(body="no token").exists()


def test_length_limit_and_empty_comments(client, article, paid_commenter, rules):
    client.force_login(paid_commenter)
    too_long = client.post(f"/comments/article/{article.pk}/", {"body": "x" * (rules.max_length + 1)}, HTTP_ACCEPT="application/json")
    assert too_long.status_code == 400 and "at most" in too_long.json()["error"]
    empty = client.post(f"/comments/article/{article.pk}/", {"body": "   "}, HTTP_ACCEPT="application/json")
    assert empty.status_code == 400
    assert not Comment.objects.exists()


def test_posting_is_rate_limited_per_member(client, article, paid_commenter, rules):
    rules.posts_per_hour = 3
    rules.save()
    client.force_login(paid_commenter)
    statuses = [
        client.post(f"/comments/article/{article.pk}/", {"body": f"Comment {n}"}, HTTP_ACCEPT="application/json").status_code
        for n in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    assert Comment.objects.count() == 3


def test_every_value_in_the_thread_is_escaped_names_replies_and_the_edit_box(client, article, paid_commenter, rules):
    """The thread template escapes what it is given: a name, the name a reply answers, and the
    text in the author's own edit box, each holding markup."""
    from gaceta.members.models import Member

    other = make_member("other@example.org", paid=True, display_name="Other")
    Member.objects.filter(pk=other.pk).update(display_name='<img src=x onerror=alert(1)>"')
    top = Comment.objects.create(article=article, member=paid_commenter, body="Top.", status="published")
    answer = Comment.objects.create(article=article, member=other, parent=top, body="Answer.", status="published")
    Comment.objects.create(article=article, member=paid_commenter, parent=answer,
                           body="</textarea><script>alert(2)</script>", status="published")
    client.force_login(paid_commenter)
    html = client.get(article.url).text
    thread = html[html.index('data-comment-list'):]
    assert "<img src=x" not in thread and "<script>alert(2)" not in thread
    assert "Replying to &lt;img src=x onerror=alert(1)&gt;" in thread
    assert "<strong>&lt;img src=x onerror=alert(1)&gt;" in thread
    assert "&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;</textarea>" in thread
