import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gaceta.comments.models import Comment, CommentLike
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def test_article_page_queries_do_not_grow_with_the_comments(client, article, paid_commenter, rules):
    others = [make_member(f"p{n}@example.org", paid=True) for n in range(4)]

    def add(n):
        for i in range(n):
            top = Comment.objects.create(article=article, member=others[i % 4], body=f"c{i}", status="published")
            reply = Comment.objects.create(article=article, member=others[(i + 1) % 4], parent=top, body="r", status="published")
            CommentLike.objects.create(comment=reply, member=paid_commenter)

    def queries():
        client.get(article.url)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(article.url)
        assert response.status_code == 200
        return len(captured)

    client.force_login(paid_commenter)
    add(2)
    few = queries()
    add(20)
    assert queries() == few
