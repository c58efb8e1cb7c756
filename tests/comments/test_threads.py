from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from gaceta.comments import services
from gaceta.comments.models import Comment
from gaceta.comments.threads import build_thread
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return [make_member(f"{name}@example.org", paid=True, display_name=name.title()) for name in ("ana", "ben", "cy")]


def post(member, article, body, parent=None):
    return services.post_comment(member=member, article=article, body=body, parent=parent)


def test_two_levels_with_deeper_replies_flattened(article, people, rules):
    ana, ben, cy = people
    top = post(ana, article, "Top")
    reply = post(ben, article, "Reply", top)
    deeper = post(cy, article, "Deeper", reply)
    [entry] = build_thread(article, ana)
    assert entry.comment == top
    assert [r.comment for r in entry.replies] == [reply, deeper]
    assert entry.replies[0].replying_to == "" and entry.replies[1].replying_to == "Ben"


def test_sorting_with_featured_first(article, people, rules, moderator):
    ana, ben, cy = people
    first = post(ana, article, "First")
    second = post(ben, article, "Second")
    third = post(cy, article, "Third")
    services.toggle_like(member=ana, comment=second)
    services.toggle_like(member=cy, comment=second)
    services.toggle_like(member=ben, comment=third)
    bodies = lambda sort: [e.comment.body for e in build_thread(article, ana, sort)]  # noqa: E731
    assert bodies("oldest") == ["First", "Second", "Third"]
    assert bodies("newest") == ["Third", "Second", "First"]
    assert bodies("liked") == ["Second", "Third", "First"]
    services.moderate(moderator=moderator, comment=third, action="feature")
    assert bodies("oldest")[0] == "Third"
    assert first


def test_one_like_per_member_and_likes_can_be_taken_back(article, people, rules):
    ana, ben, _ = people
    comment = post(ana, article, "Likeable")
    assert services.toggle_like(member=ben, comment=comment) == (True, 1)
    assert services.toggle_like(member=ben, comment=comment) == (False, 0)
    with pytest.raises(services.PermissionDenied):
        services.toggle_like(member=ana, comment=comment)


def test_edits_are_marked_and_only_within_the_window(client, article, people, rules):
    ana, ben, _ = people
    comment = post(ana, article, "Tpyo")
    services.edit_comment(member=ana, comment=comment, body="Typo fixed")
    client.force_login(ana)
    html = client.get(article.url).text
    assert "Typo fixed" in html and 'class="comment__edited">edited<' in html
    with pytest.raises(services.PermissionDenied):
        services.edit_comment(member=ben, comment=comment, body="Not mine")
    with time_machine.travel(timezone.now() + timedelta(minutes=rules.edit_window_minutes + 1)):
        with pytest.raises(services.PermissionDenied):
            services.edit_comment(member=ana, comment=comment, body="Too late")


def test_deleted_comments_with_replies_show_as_deleted(client, article, people, rules):
    ana, ben, _ = people
    lonely = post(ana, article, "Nobody answered")
    answered = post(ana, article, "Somebody answered")
    post(ben, article, "An answer", answered)
    services.delete_comment(member=ana, comment=lonely)
    services.delete_comment(member=ana, comment=answered)
    client.force_login(ben)
    html = client.get(article.url).text
    assert "Nobody answered" not in html and "Somebody answered" not in html
    assert html.count("[deleted]") == 1 and "An answer" in html
    assert Comment.objects.get(pk=answered.pk).body == ""


def test_replies_only_to_published_comments_of_the_same_article(article, people, rules, sections):
    from tests.conftest import publish_article

    ana, ben, _ = people
    other = publish_article(sections["business"], "Other story")
    top = post(ana, other, "Elsewhere")
    with pytest.raises(services.ValidationError):
        post(ben, article, "Cross-thread", top)


def test_no_javascript_posting_redirects_and_bad_input_is_kept(client, article, people, rules):
    ana = people[0]
    client.force_login(ana)
    response = client.post(f"/comments/article/{article.pk}/", {"body": "Plain form post"})
    comment = Comment.objects.get(body="Plain form post")
    assert response.status_code == 302 and response["Location"] == f"{article.url}#comment-{comment.pk}"
    too_long = "x" * (rules.max_length + 1)
    response = client.post(f"/comments/article/{article.pk}/", {"body": too_long + "KEEP"})
    assert response.status_code == 400 and "at most" in response.text and "KEEP</textarea>" in response.text


def test_members_see_their_comments_and_replies_to_them(client, article, people, rules):
    ana, ben, _ = people
    mine = post(ana, article, "My thought")
    post(ben, article, "Ben answers Ana", mine)
    client.force_login(ana)
    html = client.get("/account/comments/").text
    assert "My thought" in html and "Ben answers Ana" in html


def test_reply_and_report_forms_open_without_javascript(client, article, people, rules):
    ana, ben, _ = people
    comment = post(ana, article, "Answer me")
    client.force_login(ben)
    plain = client.get(article.url).text
    assert f'href="?reply={comment.pk}#comment-{comment.pk}"' in plain
    assert f'id="comment-body-{comment.pk}"' not in plain
    with_form = client.get(article.url, {"reply": comment.pk}).text
    assert f'<input type="hidden" name="parent" value="{comment.pk}">' in with_form
    reporting = client.get(article.url, {"report": comment.pk}).text
    assert f'id="report-{comment.pk}"' in reporting
    client.post(f"/comments/article/{article.pk}/", {"body": "Answered", "parent": comment.pk})
    assert Comment.objects.get(body="Answered").parent == comment
