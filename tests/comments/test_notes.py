"""Without JavaScript, what a comment action did is said beside the comment or form, in view."""

import re

import pytest
from django.utils import timezone

from gaceta.comments.models import Comment
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def top_messages(html: str) -> str:
    found = re.search(r'<ul class="messages".*?</ul>', html, re.S)
    return found[0] if found else ""


def test_a_report_is_confirmed_beside_the_reported_comment(client, article, paid_commenter, rules):
    comment = Comment.objects.create(article=article, member=paid_commenter, body="Loud opinion.", status="published")
    client.force_login(make_member("reader@example.org", paid=True))
    response = client.post(f"/comments/{comment.pk}/report/", {"reason": "spam"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"#comment-{comment.pk}")
    html = response.text
    entry = re.search(rf'<li class="comment" id="comment-{comment.pk}">.*?</li>', html, re.S)[0]
    assert '<p class="comment-note" role="status">Thank you: a moderator will look at this comment.</p>' in entry
    assert "moderator will look" not in top_messages(html)


def test_a_refused_post_is_explained_beside_the_form(client, article, rules):
    member = make_member("banned@example.org", paid=True)
    type(member).objects.filter(pk=member.pk).update(banned_from_comments_at=timezone.now())
    client.force_login(member)
    response = client.post(f"/comments/article/{article.pk}/", {"body": "Hello"}, follow=True)
    html = response.text
    section = html[html.index('<section class="comments"'):]
    note = re.search(r'<p class="comment-note comment-note--error" role="status">[^<]+</p>', section)
    assert note and section.index(note[0]) < section.index("</section>")
    assert not top_messages(html) or "comment-note" not in top_messages(html)
